import { describe, expect, it } from 'vitest';
import { hashToken, newId, newToken } from './secrets.js';

describe('newId', () => {
  it('keeps the id format: the prefix and 22 base64url characters, all different', () => {
    const ids = Array.from({ length: 5000 }, () => newId('ses_'));
    for (const id of ids) expect(id).toMatch(/^ses_[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts as the ids were made, from one millisecond to the next', async () => {
    const made: string[] = [];
    for (let i = 0; i < 20; i++) {
      made.push(newId('img_'));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect([...made].sort()).toEqual(made);
  });
});

describe('newToken', () => {
  it('gives 256 random bits in base64url, never the same twice', () => {
    const tokens = Array.from({ length: 5000 }, () => newToken('idvc_'));
    for (const token of tokens) expect(token).toMatch(/^idvc_[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(new Set(tokens.map(hashToken)).size).toBe(tokens.length);
  });
});
