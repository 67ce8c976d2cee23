/**
 * The camera as a Lit reactive controller: opens a stream (front camera by default, `ideal`
 * constraints so any camera is accepted), switches devices, reports a clear status, and always stops
 * every track when the host leaves the page or `stop()` is called.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type CameraStatus = 'idle' | 'requesting' | 'live' | 'denied' | 'unavailable' | 'error';

export interface CameraOptions {
  readonly facingMode?: 'user' | 'environment';
  readonly idealWidth?: number;
  readonly idealHeight?: number;
}

export class CameraController implements ReactiveController {
  status: CameraStatus = 'idle';
  stream: MediaStream | null = null;
  /** The video inputs known after permission was granted (labels are empty before). */
  devices: MediaDeviceInfo[] = [];
  deviceId: string | null = null;
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: CameraOptions = {},
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Opens the camera (or the chosen device). Resolves with the stream, or null with `status` set. */
  async start(deviceId?: string): Promise<MediaStream | null> {
    this.stopTracks();
    const generation = ++this.generation;
    if (!navigator.mediaDevices?.getUserMedia) return this.settle(generation, 'unavailable');
    this.setStatus('requesting');
    const video: MediaTrackConstraints = {
      width: { ideal: this.options.idealWidth ?? 1280 },
      height: { ideal: this.options.idealHeight ?? 720 },
      ...(deviceId
        ? { deviceId: { exact: deviceId } }
        : { facingMode: { ideal: this.options.facingMode ?? 'user' } }),
    };
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
      if (generation !== this.generation) {
        for (const track of stream.getTracks()) track.stop();
        return null;
      }
      this.stream = stream;
      this.deviceId = stream.getVideoTracks()[0]?.getSettings().deviceId ?? null;
      this.devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
      // A camera unplugged or taken by another app ends the track: say so instead of freezing.
      stream.getVideoTracks()[0]?.addEventListener('ended', () => {
        if (generation === this.generation) this.settle(generation, 'error');
      });
      return this.settle(generation, 'live', stream);
    } catch (error) {
      return this.settle(generation, statusOf(error));
    }
  }

  /** The camera after the current one (for a "switch camera" button), when there is more than one. */
  nextDeviceId(): string | undefined {
    if (this.devices.length < 2) return undefined;
    const index = this.devices.findIndex((d) => d.deviceId === this.deviceId);
    return this.devices[(index + 1) % this.devices.length]?.deviceId;
  }

  stop(): void {
    this.generation += 1;
    this.stopTracks();
    this.setStatus('idle');
  }

  private stopTracks(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }

  private settle(
    generation: number,
    status: CameraStatus,
    stream: MediaStream | null = null,
  ): MediaStream | null {
    if (generation === this.generation) this.setStatus(status);
    return stream;
  }

  private setStatus(status: CameraStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.host.requestUpdate();
  }
}

/** getUserMedia's error names, as the person should hear them. */
function statusOf(error: unknown): CameraStatus {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'unavailable';
  return 'error';
}
