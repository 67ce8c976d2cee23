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
  // SVG rather than PNG (6× cheaper to make and crisp at any size). A fixed mask pattern skips the
  // library's trial of all eight masks, which is most of its cost; any mask gives a valid, scannable code.
  const svg = await QRCode.toString(hostedUrl, {
    type: 'svg',
    margin: 2,
    errorCorrectionLevel: 'M',
    maskPattern: 2,
  });
  return { hostedUrl, qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}
