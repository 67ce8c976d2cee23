/**
 * `<idv-selfie-capture>`: live preview with an oval guide, on-device face guidance, and an automatic
 * capture once every rule has passed for a moment; a shutter button appears after a few seconds of
 * trying (or at once if the on-device analysis cannot run). Camera problems become plain screens.
 */
import { html, nothing } from 'lit';
import { msg } from '@lit/localize';
import { AUTO_CAPTURE, AutoCaptureGate, GuidanceStabiliser } from '../../core/face/auto-capture.js';
import { assessFace, nextTrack, type FaceGuidance, type FaceTrackPoint } from '../../core/face/rules.js';
import { FACE_GUIDE } from '../../core/face/thresholds.js';
import type { FaceFrameAnalysis } from '../../core/face/types.js';
import type { CapturedImage } from '../../core/flow/capture-flow.js';
import type { ImageFeedback } from '../../core/session/feedback.js';
import type { FaceVision } from '../../vision/face/create-face-vision.js';
import type { FaceAnalyzer } from '../../vision/face/interfaces.js';
import { captureFrame } from '../../vision/encode/encode-frame.js';
import { takeFaceVision } from '../../vision/face/face-vision-preload.js';
import { FrameSampler } from '../../vision/frame-sampler.js';
import { IdvElement } from '../base/idv-element.js';
import { feedbackText, guidanceText, reallowCameraText } from '../base/strings.js';
import { themeStyles } from '../base/theme.js';
import { CameraController } from '../controllers/camera-controller.js';
import { selfieCaptureStyles } from './idv-selfie-capture.styles.js';

/** Fired (not bubbling) with the captured picture for the flow that hosts this element. */
export const CAPTURED_EVENT = 'idv-selfie-captured';

export class IdvSelfieCapture extends IdvElement {
  static override styles = [themeStyles, selfieCaptureStyles];
  static override properties = {
    feedback: { attribute: false },
    guidance: { state: true },
    shutterOffered: { state: true },
    capturing: { state: true },
    videoSize: { state: true },
  };

  /** The service's reasons for refusing the previous selfie, shown above the preview. */
  feedback: readonly ImageFeedback[] = [];
  guidance: FaceGuidance | null = null;
  shutterOffered = false;
  capturing = false;
  videoSize = { width: 640, height: 480 };

  private readonly camera = new CameraController(this, { facingMode: 'user' });
  private vision: FaceVision | undefined;
  private sampler: FrameSampler<FaceFrameAnalysis> | undefined;
  private track: FaceTrackPoint[] = [];
  private readonly gate = new AutoCaptureGate();
  private readonly stabiliser = new GuidanceStabiliser();
  private shutterTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.open();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopAnalysis();
    this.vision?.dispose();
    this.vision = undefined;
  }

  private get video(): HTMLVideoElement | null {
    return this.renderRoot.querySelector('video');
  }

  private async open(deviceId?: string): Promise<void> {
    this.stopAnalysis();
    // The models load while the person answers the camera prompt, not after.
    const vision = this.loadVision();
    const stream = await this.camera.start(deviceId);
    if (!stream) {
      const status = this.camera.status;
      if (status === 'denied' || status === 'unavailable' || status === 'error')
        this.emit('idv-error', { reason: `camera_${status}` });
      return;
    }
    await this.updateComplete;
    const video = this.video;
    if (!video) return;
    video.srcObject = stream;
    await video.play().catch(() => undefined);
    this.videoSize = { width: video.videoWidth || 640, height: video.videoHeight || 480 };
    this.shutterTimer = setTimeout(() => (this.shutterOffered = true), AUTO_CAPTURE.manualShutterAfterMs);
    const analyzer = await vision;
    if (!analyzer || !this.isConnected) return this.analysisUnavailable();
    this.sampler = new FrameSampler<FaceFrameAnalysis>({
      video,
      analyse: (frame, timestamp) => analyzer.analyze(frame, timestamp),
      onResult: (analysis) => this.onAnalysis(analysis),
      onError: () => this.analysisUnavailable(),
    });
    this.sampler.start();
  }

  /**
   * The vision layer is imported when the selfie step starts (at the earliest when consent is given,
   * see startFaceVision), so nothing of it is fetched before; resolves to null when it cannot run here
   * (the person then uses the shutter).
   */
  private async loadVision(): Promise<FaceAnalyzer | null> {
    try {
      if (!this.vision) {
        const vision = await takeFaceVision();
        if (!this.isConnected) {
          vision.dispose();
          return null;
        }
        this.vision = vision;
      }
      await this.vision.analyzer.load();
      return this.vision.analyzer;
    } catch (error) {
      // Said once in the console for whoever debugs the page; the person gets the shutter instead.
      console.warn('idv: on-device face analysis is unavailable', error);
      return null;
    }
  }

  private stopAnalysis(): void {
    this.sampler?.stop();
    this.sampler = undefined;
    clearTimeout(this.shutterTimer);
  }

  /** Without on-device analysis the person can still take the picture; the service checks it. */
  private analysisUnavailable(): void {
    this.stopAnalysis();
    this.shutterOffered = true;
    this.guidance = null;
  }

  private onAnalysis(analysis: FaceFrameAnalysis): void {
    if (this.capturing) return;
    const assessment = assessFace(analysis, this.track);
    this.track = nextTrack(this.track, assessment);
    this.guidance = this.stabiliser.update(assessment.guidance);
    if (this.gate.update(assessment.guidance, analysis.timestamp)) {
      void this.capture(true, {
        faceScore: Number((assessment.face?.score ?? 0).toFixed(3)),
        yaw: assessment.pose ? Number(assessment.pose.yaw.toFixed(1)) : null,
        sharpness: analysis.region ? Math.round(analysis.region.laplacianVariance) : null,
        brightness: analysis.region ? Math.round(analysis.region.meanLuma) : null,
      });
    }
  }

  private async capture(automatic: boolean, metrics: CapturedImage['metrics'] = {}): Promise<void> {
    const video = this.video;
    if (!video || this.capturing) return;
    this.capturing = true;
    this.stopAnalysis();
    try {
      const frame = await captureFrame(video);
      const image: CapturedImage = {
        kind: 'selfie',
        blob: frame.blob,
        width: frame.width,
        height: frame.height,
        captureId: crypto.randomUUID(),
        metrics: { ...metrics, automatic },
      };
      this.emit('idv-capture', {
        kind: 'selfie',
        width: image.width,
        height: image.height,
        bytes: image.blob.size,
        automatic,
      });
      this.dispatchEvent(new CustomEvent<CapturedImage>(CAPTURED_EVENT, { detail: image }));
    } catch {
      this.capturing = false;
      this.analysisUnavailable();
    }
  }

  override render() {
    switch (this.camera.status) {
      case 'denied':
        return this.renderProblem(
          msg('Camera access is blocked'),
          reallowCameraText(navigator.userAgent),
          'denied',
        );
      case 'unavailable':
        return this.renderProblem(
          msg('No camera found'),
          msg('This device has no camera we can use. Open the link on a phone with a camera.'),
          'unavailable',
        );
      case 'error':
        return this.renderProblem(
          msg('The camera stopped'),
          msg('Another app may be using it. Close it, then try again.'),
          'error',
        );
      default:
        return this.renderPreview();
    }
  }

  private renderProblem(title: string, text: string, state: string) {
    return html`<section part="problem" data-camera=${state}>
      <h1>${title}</h1>
      <p>${text}</p>
      <div class="actions">
        <button class="primary" @click=${() => void this.open()}>${msg('Try again')}</button>
      </div>
    </section>`;
  }

  private renderPreview() {
    const { width, height } = this.videoSize;
    const ry = (FACE_GUIDE.height * height) / 2;
    const rx = ry * FACE_GUIDE.aspect;
    const cx = FACE_GUIDE.centreX * width;
    const cy = FACE_GUIDE.centreY * height;
    const live = this.camera.status === 'live';
    const instruction = !live
      ? msg('Starting the camera…')
      : this.guidance
        ? guidanceText(this.guidance)
        : this.shutterOffered
          ? msg('Look at the camera and take the photo')
          : msg('Getting ready…');
    return html`
      <h1>${msg('Take a selfie')}</h1>
      ${this.feedback.map((item) => html`<p class="notice" role="alert">${feedbackText(item.code)}</p>`)}
      <div class="stage" part="stage">
        <video class="mirrored" part="video" playsinline muted autoplay aria-hidden="true"></video>
        <svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid slice" aria-hidden="true">
          <path
            class="shade"
            fill-rule="evenodd"
            d="M0 0H${width}V${height}H0Z M${cx - rx} ${cy}a${rx} ${ry} 0 1 0 ${2 * rx} 0a${rx} ${ry} 0 1 0 ${-2 * rx} 0Z"
          ></path>
          <ellipse
            part="oval"
            class="oval ${this.guidance === 'ok' ? 'ready' : ''}"
            cx=${cx}
            cy=${cy}
            rx=${rx}
            ry=${ry}
          ></ellipse>
        </svg>
        <p class="guidance" part="guidance" aria-live="polite" data-guidance=${this.guidance ?? ''}>
          ${this.capturing ? msg('Got it') : instruction}
        </p>
      </div>
      <div class="row">
        ${
          this.shutterOffered && live
            ? html`<button
                class="primary"
                ?disabled=${this.capturing}
                @click=${() => void this.capture(false)}
              >
                ${msg('Take photo')}
              </button>`
            : nothing
        }
        ${
          this.camera.devices.length > 1
            ? html`<button class="secondary" @click=${() => void this.open(this.camera.nextDeviceId())}>
                ${msg('Switch camera')}
              </button>`
            : nothing
        }
      </div>
    `;
  }
}
