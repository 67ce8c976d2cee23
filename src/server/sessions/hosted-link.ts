/** The hosted capture link and its QR code, for links sent by email, shown on a desktop, or printed. */
import { encodeQr } from './qr.js';

export interface HostedLink {
  hostedUrl: string;
  qrCodeDataUrl: string;
}

/** Quiet zone around the code, in modules. */
const MARGIN = 2;

export function hostedUrlOf(publicUrl: string, sessionId: string, clientToken: string): string {
  return `${publicUrl}/s/${encodeURIComponent(sessionId)}?t=${encodeURIComponent(clientToken)}`;
}

export function hostedLink(publicUrl: string, sessionId: string, clientToken: string): HostedLink {
  const hostedUrl = hostedUrlOf(publicUrl, sessionId, clientToken);
  // Made on every session creation, so made cheaply (qr.ts): SVG rather than PNG (crisp at any size);
  // one byte-mode segment; and a fixed mask pattern, which skips a trial of all eight. Any mask gives a
  // valid, scannable code.
  const { modules, size } = encodeQr(Buffer.from(hostedUrl));
  const svg = svgOf(modules, size);
  return { hostedUrl, qrCodeDataUrl: `data:image/svg+xml;base64,${svg.toString('base64')}` };
}

/**
 * The same SVG, byte for byte, as the `qrcode` package's renderer (`toString(…, {type: 'svg'})`) with
 * default colours: one horizontal line per run of dark modules, the first of each row placed absolutely
 * and the others relative to the end of the one before. Written as ASCII straight into a buffer, since
 * building it as a string of a few hundred small pieces costs several times more than the code itself.
 */
function svgOf(dark: Uint8Array, size: number): Buffer {
  const side = size + MARGIN * 2;
  const head = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges">` +
      `<path fill="#ffffff" d="M0 0h${side}v${side}H0z"/><path stroke="#000000" d="`,
  );
  const tail = Buffer.from('"/></svg>\n');
  // At most one run per two modules, each at most "M" + 3 digits + " " + 3 digits + ".5h" + 3 digits.
  const out = Buffer.allocUnsafe(head.length + Math.ceil(size / 2) * size * 14 + tail.length);
  let at = head.copy(out, 0);
  const int = (value: number) => {
    if (value >= 100) out[at++] = 48 + Math.floor(value / 100);
    if (value >= 10) out[at++] = 48 + (Math.floor(value / 10) % 10);
    out[at++] = 48 + (value % 10);
  };
  for (let row = 0; row < size; row++) {
    const base = row * size;
    let end = -1; // where the row's previous run ended; -1 before its first
    let col = 0;
    while (col < size) {
      if (!dark[base + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && dark[base + col]) col++;
      if (end < 0) {
        out[at++] = 77; // M x y.5
        int(start + MARGIN);
        out[at++] = 32;
        int(row + MARGIN);
        out[at++] = 46;
        out[at++] = 53;
      } else {
        out[at++] = 109; // m dx 0
        int(start - end);
        out[at++] = 32;
        out[at++] = 48;
      }
      out[at++] = 104; // h length
      int(col - start);
      end = col;
    }
  }
  at += tail.copy(out, at);
  return out.subarray(0, at);
}
