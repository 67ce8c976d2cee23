/**
 * True only when WebGL2 runs on real graphics hardware. `failIfMajorPerformanceCaveat` makes the
 * browser refuse a context that would fall back to a software rasteriser (SwiftShader, llvmpipe),
 * where tasks-vision's GPU delegate is far slower than its CPU (XNNPACK) path.
 */
export function hasHardwareWebGl2(): boolean {
  if (typeof OffscreenCanvas === 'undefined') return false;
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2', { failIfMajorPerformanceCaveat: true });
    if (!gl) return false;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return true;
  } catch {
    return false;
  }
}
