import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { hostedLink } from './hosted-link.js';

/** The QR code exactly as the library renders it itself. */
async function reference(text: string): Promise<string> {
  const svg = await QRCode.toString([{ data: Buffer.from(text), mode: 'byte' }], {
    type: 'svg',
    margin: 2,
    errorCorrectionLevel: 'M',
    maskPattern: 2,
  });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

describe('hostedLink', () => {
  it('builds the hosted URL from the public origin, the session and the client token', () => {
    const link = hostedLink('https://idv.example.com', 'ses_abc', 'idvc_x/y');
    expect(link.hostedUrl).toBe('https://idv.example.com/s/ses_abc?t=idvc_x%2Fy');
  });

  it("draws the same QR code, byte for byte, as the library's own SVG renderer", async () => {
    // Real links (version 6 or 7), then longer origins, so that codes of many versions are compared.
    const cases: [string, string, string][] = [];
    for (let i = 0; i < 50; i++) {
      cases.push([
        `http://127.0.0.1:${1024 + i}`,
        `ses_${randomBytes(16).toString('base64url')}`,
        `idvc_${randomBytes(32).toString('base64url')}`,
      ]);
    }
    for (let length = 0; length < 1200; length += 37) {
      cases.push([`https://${'a'.repeat(length)}.example`, 'ses_x', 'idvc_y']);
    }
    for (const [origin, session, token] of cases) {
      const link = hostedLink(origin, session, token);
      expect(link.qrCodeDataUrl).toBe(await reference(link.hostedUrl));
    }
  });
});
