/**
 * The device record of an upload: who sent it (the widget or the integrator's backend), the user agent,
 * the platform, and whether the picture was taken live on the device or came from a file. Kept with each
 * image and shown in the report, so a reviewer can see how the evidence was captured.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface DeviceRecord {
  source: 'widget' | 'backend';
  userAgent: string | null;
  platform: string | null;
  capture: 'live' | 'file' | null;
  model?: string;
  osVersion?: string;
  appVersion?: string;
}

/** What an integrator's backend may say about the device its app captured on. */
export interface DeviceInfo {
  userAgent?: string;
  platform?: string;
  capture?: 'live' | 'file';
  model?: string;
  osVersion?: string;
  appVersion?: string;
}

const MAX_USER_AGENT = 300;

/** A platform name from a user agent, for browsers that send no `Sec-CH-UA-Platform`. */
export function platformOf(userAgent: string): string | null {
  if (/iPhone|iPad|iPod/.test(userAgent)) return 'iOS';
  if (/Android/.test(userAgent)) return 'Android';
  if (/Windows/.test(userAgent)) return 'Windows';
  if (/Mac OS X|Macintosh/.test(userAgent)) return 'macOS';
  if (/CrOS/.test(userAgent)) return 'ChromeOS';
  if (/Linux/.test(userAgent)) return 'Linux';
  return null;
}

/** The widget's capture mode (`auto` and `manual` are live camera captures; `file` is an upload). */
export function captureOf(metrics: Record<string, unknown> | undefined): DeviceRecord['capture'] {
  const capture = metrics?.['capture'];
  if (capture === 'file') return 'file';
  if (capture === 'auto' || capture === 'manual' || capture === 'live') return 'live';
  return null;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The widget's device, from the request it uploaded with and the metrics it reported. */
export function widgetDevice(
  headers: IncomingHttpHeaders,
  metrics: Record<string, unknown> | undefined,
): DeviceRecord {
  const userAgent = header(headers, 'user-agent')?.slice(0, MAX_USER_AGENT) ?? null;
  const hinted = header(headers, 'sec-ch-ua-platform')?.replace(/"/g, '').slice(0, 40);
  return {
    source: 'widget',
    userAgent,
    platform: hinted || (userAgent ? platformOf(userAgent) : null),
    capture: captureOf(metrics),
  };
}

/** The backend's device, from the `deviceInfo` it sent (already validated) and the image's metrics. */
export function backendDevice(
  info: DeviceInfo | undefined,
  metrics: Record<string, unknown> | undefined,
): DeviceRecord {
  const userAgent = info?.userAgent ?? null;
  return {
    source: 'backend',
    userAgent,
    platform: info?.platform ?? (userAgent ? platformOf(userAgent) : null),
    capture: info?.capture ?? captureOf(metrics),
    ...(info?.model ? { model: info.model } : {}),
    ...(info?.osVersion ? { osVersion: info.osVersion } : {}),
    ...(info?.appVersion ? { appVersion: info.appVersion } : {}),
  };
}
