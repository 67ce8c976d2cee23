import type { Quad } from '../../core/document/geometry.js';
import { DEFAULT_DOCUMENT_THRESHOLDS } from '../../core/document/rules.js';
import { DocumentWorkerClient } from './document-worker-client.js';
import type { DocumentDetector } from './interfaces.js';

/**
 * The document detector over its own module worker. Nothing starts until the first `load` or `detect`.
 * For camera streams it keeps the corners of the last few frames in which a document was found, so the
 * rules can judge steadiness; a frame without a document starts the history afresh.
 */
export function createDocumentDetector(): DocumentDetector {
  const client = new DocumentWorkerClient();
  const keep = Math.max(1, DEFAULT_DOCUMENT_THRESHOLDS.steadyFrames - 1);
  let recent: Quad[] = [];
  return {
    load: async (signal) => void (await client.load(signal)),
    async detect(frame, options = {}) {
      const steadiness = options.steadiness ?? true;
      const analysis = await client.detect(frame, steadiness ? recent : null, options.thorough ?? false);
      if (steadiness) {
        recent = analysis.detection.present ? [...recent, analysis.detection.corners].slice(-keep) : [];
      }
      return analysis;
    },
    dispose: () => client.dispose(),
  };
}
