/** Builds the fake-camera videos before any browser starts (launch options name the files). */
import { buildVideo, VIDEOS } from './fake-camera.js';

export default async function globalSetup(): Promise<void> {
  for (const spec of Object.values(VIDEOS)) await buildVideo(spec);
}
