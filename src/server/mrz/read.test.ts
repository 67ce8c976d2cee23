/**
 * Reading test: synthetic ID-card backs (TD1) and passport data pages (TD3), in OCR-B, flat and in scenes,
 * with perspective, blur, noise, glare and JPEG artefacts (test-support/synthetic.ts). At least 90% of
 * zones must be read exactly, and no wrong read may be reported with confidence. The seeds here were
 * never used to tune the reader.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOcrModels, type OcrModels } from './models.js';
import { readMrz } from './read.js';
import { syntheticDocument } from './test-support/synthetic.js';

const COUNT = 120;
const FIRST_SEED = 100_000;

let models: OcrModels;

beforeAll(async () => {
  models = await loadOcrModels();
}, 60_000);

describe('reading synthetic zones', () => {
  it(`reads at least 90% of ${COUNT} zones exactly, and no wrong read with confidence`, async () => {
    const now = new Date();
    let exact = 0;
    let doubtful = 0;
    const wrong: string[] = [];
    const confidentlyWrong: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const seed = FIRST_SEED + i;
      const doc = await syntheticDocument(seed, { kind: i % 2 === 0 ? 'document_back' : 'passport', now });
      const read = await readMrz(doc.jpeg, { models, now });
      const right = read.lines.join('\n') === doc.lines.join('\n');
      if (right) exact += 1;
      if (read.doubtful) doubtful += 1;
      if (!right) {
        const line = `seed ${seed} ${doc.kind} scene=${doc.scene} ${JSON.stringify(doc.effects)} confidence=${read.confidence}`;
        wrong.push(line);
        if (!read.doubtful)
          confidentlyWrong.push(`${line}\n  ${doc.lines.join(' ')}\n  ${read.lines.join(' ')}`);
      }
    }
    console.log(
      `MRZ reading: ${exact}/${COUNT} exact (${((100 * exact) / COUNT).toFixed(1)}%), ` +
        `${doubtful} doubtful, ${confidentlyWrong.length} wrong with confidence\n${wrong.join('\n')}`,
    );
    expect(confidentlyWrong).toEqual([]);
    expect(exact / COUNT).toBeGreaterThanOrEqual(0.9);
  }, 1_200_000);
});
