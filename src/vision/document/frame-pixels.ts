/// <reference lib="webworker" />
import { analysisSize } from '../../core/document/pipeline.js';
import type { DocumentFrame } from './interfaces.js';

/** RGBA pixels of a frame at the document analysis size (`analysisSize`), top row first. */
export interface FramePixels {
  readonly pixels: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/**
 * Reads the pixels of the frames handed to the document worker, reusing its buffers from frame to frame.
 *
 * A camera VideoFrame already at the analysis size is converted to RGBA by `VideoFrame.copyTo`, one
 * pass of the browser's own YUV conversion straight into our buffer: about a millisecond at 640×480,
 * where drawing it on a canvas and reading the canvas back takes several (bench/document.ts). Anything
 * else (ImageBitmaps, larger frames, browsers whose copyTo cannot convert) is drawn on an
 * OffscreenCanvas at the analysis size and read back.
 */
export class FramePixelReader {
  private canvas: OffscreenCanvas | undefined;
  private context: OffscreenCanvasRenderingContext2D | null = null;
  private buffer = new Uint8Array(0);

  async read(frame: DocumentFrame): Promise<FramePixels> {
    const source = isVideoFrame(frame)
      ? { width: frame.displayWidth, height: frame.displayHeight }
      : { width: frame.width, height: frame.height };
    const { width, height } = analysisSize(source.width, source.height);
    if (isVideoFrame(frame) && width === source.width && height === source.height) {
      try {
        return await this.copy(frame, width, height);
      } catch {
        // Older WebCodecs copy only in the frame's own pixel format, and a frame held on the GPU may not
        // copy at all: such a frame is drawn. Validation fails at once, so trying again costs nothing.
      }
    }
    return this.draw(frame, width, height);
  }

  private async copy(frame: VideoFrame, width: number, height: number): Promise<FramePixels> {
    const size = width * height * 4;
    if (this.buffer.length !== size) this.buffer = new Uint8Array(size);
    await frame.copyTo(this.buffer, {
      format: 'RGBA',
      colorSpace: 'srgb',
      layout: [{ offset: 0, stride: width * 4 }],
    });
    return { pixels: this.buffer, width, height };
  }

  private draw(frame: DocumentFrame, width: number, height: number): FramePixels {
    if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas = new OffscreenCanvas(width, height);
      this.context = this.canvas.getContext('2d', { willReadFrequently: true });
    }
    if (!this.context) throw new Error('no 2D context in the document worker');
    this.context.drawImage(frame, 0, 0, width, height);
    return { pixels: this.context.getImageData(0, 0, width, height).data, width, height };
  }
}

function isVideoFrame(frame: DocumentFrame): frame is VideoFrame {
  return typeof VideoFrame === 'function' && frame instanceof VideoFrame;
}
