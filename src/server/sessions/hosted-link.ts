/** The hosted capture link and its QR code, for links sent by email, shown on a desktop, or printed. */
import QRCode from 'qrcode';

export interface HostedLink {
  hostedUrl: string;
  qrCodeDataUrl: string;
}

export function hostedUrlOf(publicUrl: string, sessionId: string, clientToken: string): string {
  return `${publicUrl}/s/${encodeURIComponent(sessionId)}?t=${encodeURIComponent(clientToken)}`;
}

export async function hostedLink(
  publicUrl: string,
  sessionId: string,
  clientToken: string,
): Promise<HostedLink> {
  const hostedUrl = hostedUrlOf(publicUrl, sessionId, clientToken);
  // Made on every session creation, so made cheaply: SVG rather than PNG (6× cheaper, crisp at any size);
  // one byte-mode segment given up front, which skips the library's search for an optimal segmentation;
  // and a fixed mask pattern, which skips its trial of all eight. Any mask gives a valid, scannable code.
  const segments: QRCode.QRCodeSegment[] = [{ data: Buffer.from(hostedUrl), mode: 'byte' }];
  const svg = await QRCode.toString(segments, {
    type: 'svg',
    margin: 2,
    errorCorrectionLevel: 'M',
    maskPattern: 2,
  });
  return { hostedUrl, qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}
