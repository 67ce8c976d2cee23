import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { normaliseBody } from './normalise.js';

const options = {
  fields: ['redirectUrl', 'reference', 'subject', 'metadata', 'forceCreation'],
  aliases: { callbackUrl: 'redirectUrl', refId: 'reference', user: 'subject', fields: 'subject' },
  nested: { subject: { fields: ['firstName', 'lastName', 'dateOfBirth'] } },
};

describe('normaliseBody', () => {
  it('accepts snake, kebab and camel keys in any case', () => {
    expect(normaliseBody({ redirect_url: 'a', 'force-creation': true, REFERENCE: 'r' }, options)).toEqual({
      redirectUrl: 'a',
      forceCreation: true,
      reference: 'r',
    });
  });

  it('unwraps a JSON:API envelope and maps aliases', () => {
    const body = { data: { type: 'session', attributes: { callback_url: 'https://x', ref_id: 'r1' } } };
    expect(normaliseBody(body, options)).toEqual({ redirectUrl: 'https://x', reference: 'r1' });
  });

  it('normalises nested subject fields but leaves metadata keys as sent', () => {
    const body = { user: { first_name: 'Ada', 'date-of-birth': '1990-01-01' }, metadata: { order_id: 7 } };
    expect(normaliseBody(body, options)).toEqual({
      subject: { firstName: 'Ada', dateOfBirth: '1990-01-01' },
      metadata: { order_id: 7 },
    });
  });

  it('keeps unknown keys, camelCased, so validation can name them', () => {
    expect(normaliseBody({ favourite_colour: 'red' }, options)).toEqual({ favouriteColour: 'red' });
  });

  it('refuses two names for one field with different values', () => {
    expect(() => normaliseBody({ redirectUrl: 'a', callback_url: 'b' }, options)).toThrow(ApiError);
    expect(normaliseBody({ redirectUrl: 'a', callback_url: 'a' }, options)).toEqual({ redirectUrl: 'a' });
  });
});
