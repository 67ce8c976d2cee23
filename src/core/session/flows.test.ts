import { describe, expect, it } from 'vitest';
import { acceptedKinds, missingImages } from './flows.js';

describe('missingImages', () => {
  it('asks for a selfie in the liveness flow until one is accepted', () => {
    expect(missingImages('liveness', [])).toEqual(['selfie']);
    expect(missingImages('liveness', ['liveness_frame'])).toEqual(['selfie']);
    expect(missingImages('liveness', ['selfie'])).toEqual([]);
  });

  it('lists the ID card sides first and completes with a passport alone', () => {
    expect(missingImages('document', [])).toEqual(['document_front', 'document_back']);
    expect(missingImages('document', ['passport'])).toEqual([]);
  });

  it('asks for the other side once one side of the card is in', () => {
    expect(missingImages('document', ['document_back'])).toEqual(['document_front']);
    expect(missingImages('liveness+facematch+document', ['document_front'])).toEqual([
      'selfie',
      'document_back',
    ]);
  });
});

describe('acceptedKinds', () => {
  it('takes no selfie in a document-only flow', () => {
    expect(acceptedKinds('document')).toEqual(['document_front', 'document_back', 'passport']);
  });

  it('takes liveness frames in face flows', () => {
    expect(acceptedKinds('liveness')).toEqual(['selfie', 'liveness_frame']);
  });
});
