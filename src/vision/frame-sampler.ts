/**
 * Feeds camera frames to an asynchronous analyser without ever queueing them: at most one frame is in
 * flight; frames that arrive meanwhile are dropped, so each analysis starts on the newest frame. On a
 * device that cannot keep up the interval between analyses stretches to the measured analysis time
 * (plus headroom for the page), and the achieved rate is reported with every result.
 */
export interface SamplerStats {
  /** Results per second over the last second. */
  readonly rate: number;
  /** Smoothed analysis time (frame grab to result), ms. */
  readonly latencyMs: number;
  /** Camera frames skipped since the sampler started. */
  readonly dropped: number;
  readonly analysed: number;
}

/**
 * Takes the video's current picture for one analysis, `width` × `height` being the analysis size. The
 * default copies it into an ImageBitmap at that size; `grabVideoFrame` hands over the decoder's own
 * frame instead, leaving the copy to the worker.
 */
export type FrameGrab<F> = (video: HTMLVideoElement, width: number, height: number) => Promise<F>;

export const grabImageBitmap: FrameGrab<ImageBitmap> = (video, width, height) =>
  createImageBitmap(video, { resizeWidth: width, resizeHeight: height, resizeQuality: 'low' });

/**
 * The video's current frame as a WebCodecs `VideoFrame`, where the browser has them: taking one only
 * references the decoded picture, so the main thread spends well under a millisecond where an
 * ImageBitmap copy of a 640×480 frame takes several (bench/document.ts). The frame keeps the camera's
 * size; whoever receives it scales it to the analysis size and must close it.
 */
export const grabVideoFrame: FrameGrab<VideoFrame | ImageBitmap> = (video, width, height) =>
  typeof VideoFrame === 'function'
    ? Promise.resolve(new VideoFrame(video))
    : grabImageBitmap(video, width, height);

export interface FrameSamplerOptions<T, F = ImageBitmap> {
  readonly video: HTMLVideoElement;
  readonly analyse: (frame: F, timestamp: number) => Promise<T>;
  /** How a frame is taken from the video (default: an ImageBitmap at the analysis size). */
  readonly grab?: FrameGrab<F>;
  readonly onResult: (result: T, stats: SamplerStats) => void;
  readonly onError?: (error: unknown) => void;
  /** Frames are scaled down to this width before analysis (height keeps the aspect). */
  readonly analysisWidth?: number;
  /** Upper bound on analyses per second (default: every camera frame). */
  readonly maxRate?: number;
  /** Share of the frame interval kept free for the page on slow devices (default 0.25). */
  readonly headroom?: number;
}

/** Weight of the newest analysis time in the smoothed latency: adapts within a few frames. */
const LATENCY_WEIGHT = 0.3;
/** Even on the slowest device, analyse at least about four frames a second. */
const MAX_INTERVAL_MS = 250;
/**
 * Camera frames do not arrive on an exact clock: a frame a few milliseconds early against the pace is
 * taken rather than skipped, since skipping it costs a whole frame interval (33 ms at 30 fps).
 */
const FRAME_JITTER_MS = 5;

type VideoWithFrameCallback = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: () => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

export class FrameSampler<T, F = ImageBitmap> {
  private running = false;
  private busy = false;
  /** A frame came while an analysis ran: the newest picture is waiting in the video element. */
  private frameWaiting = false;
  private handle = 0;
  private lastStart = -Infinity;
  private latency = 0;
  private dropped = 0;
  private analysed = 0;
  private readonly recent: number[] = [];

  constructor(private readonly options: FrameSamplerOptions<T, F>) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    const video = this.options.video as VideoWithFrameCallback;
    if (video.cancelVideoFrameCallback) video.cancelVideoFrameCallback(this.handle);
    else cancelAnimationFrame(this.handle);
  }

  get stats(): SamplerStats {
    const now = performance.now();
    while (this.recent.length > 0 && now - (this.recent[0] ?? 0) > 1000) this.recent.shift();
    return {
      rate: this.recent.length,
      latencyMs: this.latency,
      dropped: this.dropped,
      analysed: this.analysed,
    };
  }

  private schedule(): void {
    if (!this.running) return;
    const video = this.options.video as VideoWithFrameCallback;
    const next = (): void => this.onFrame();
    this.handle = video.requestVideoFrameCallback
      ? video.requestVideoFrameCallback(next)
      : requestAnimationFrame(next);
  }

  /**
   * The smallest gap between analysis starts: the rate cap, or the analysis time plus headroom, but
   * never so long that guidance stops feeling live (MAX_INTERVAL_MS).
   */
  private minInterval(): number {
    const cap = this.options.maxRate ? 1000 / this.options.maxRate : 0;
    const paced = Math.min(MAX_INTERVAL_MS, this.latency * (1 + (this.options.headroom ?? 0.25)));
    return Math.max(cap, paced);
  }

  private onFrame(): void {
    this.schedule();
    if (this.busy) {
      // A newer frame replaces the one that was waiting: that one is dropped.
      if (this.frameWaiting) this.dropped += 1;
      this.frameWaiting = true;
      return;
    }
    if (!this.startIfDue()) this.dropped += 1;
  }

  /** Starts an analysis of the video's current frame if the pace allows one now. */
  private startIfDue(): boolean {
    const now = performance.now();
    const { video } = this.options;
    if (now - this.lastStart < this.minInterval() - FRAME_JITTER_MS || video.videoWidth === 0) return false;
    this.busy = true;
    this.lastStart = now;
    void this.analyseCurrentFrame(video, now);
    return true;
  }

  private async analyseCurrentFrame(video: HTMLVideoElement, started: number): Promise<void> {
    try {
      const width = Math.min(this.options.analysisWidth ?? 640, video.videoWidth);
      const height = Math.round((video.videoHeight * width) / video.videoWidth);
      // Without `grab`, F is the default ImageBitmap.
      const grab = this.options.grab ?? (grabImageBitmap as unknown as FrameGrab<F>);
      const frame = await grab(video, width, height);
      const result = await this.options.analyse(frame, started);
      if (!this.running) return;
      const took = performance.now() - started;
      // The first analysis also loads the models: it says nothing about the pace the device can keep.
      if (this.analysed === 1) this.latency = took;
      else if (this.analysed > 1) this.latency = this.latency * (1 - LATENCY_WEIGHT) + took * LATENCY_WEIGHT;
      this.analysed += 1;
      this.recent.push(performance.now());
      this.options.onResult(result, this.stats);
    } catch (error) {
      if (this.running) this.options.onError?.(error);
    } finally {
      this.busy = false;
      // The frame that came during this analysis is still the newest: take it now rather than wait up to
      // a whole frame interval for the next one (never more than one frame in flight all the same).
      if (this.frameWaiting && this.running) {
        this.frameWaiting = false;
        if (!this.startIfDue()) this.dropped += 1;
      }
    }
  }
}
