/**
 * Machine-readable zone reading (issue 6): model load time, read time per document (p50, p95; wall and
 * CPU), and the exact-read rate on synthetic ID-card backs and passport pages (generation not timed).
 * Target on a 2-core machine: p50 ≤ 500 ms per document. The machine's load average is recorded with
 * the figures, since other work on the same cores inflates wall times.
 *
 * `npm run bench -- mrz` (IDV_BENCH_MRZ_COUNT documents, default 60).
 */
import { loadavg } from 'node:os';
import { loadOcrModels } from '../src/server/mrz/models.js';
import { readMrz } from '../src/server/mrz/read.js';
import { syntheticDocument } from '../src/server/mrz/test-support/synthetic.js';

const FIRST_SEED = 200_000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0);
};

export async function runMrzBench(): Promise<Record<string, unknown>> {
  const count = Number(process.env['IDV_BENCH_MRZ_COUNT'] ?? 60);
  const loadBefore = loadavg()[0];
  const models = await loadOcrModels();
  const now = new Date();
  const wall: number[] = [];
  const cpu: number[] = [];
  const detect: number[] = [];
  const recognise: number[] = [];
  let exact = 0;
  let doubtful = 0;
  let wrongConfident = 0;
  let secondReads = 0;
  const byKind: Record<string, { documents: number; exact: number }> = {};
  for (let i = 0; i < count; i++) {
    const doc = await syntheticDocument(FIRST_SEED + i, {
      kind: i % 2 === 0 ? 'document_back' : 'passport',
      now,
    });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const read = await readMrz(doc.jpeg, { models, now });
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
    detect.push(read.timings.detectMs);
    recognise.push(read.timings.recogniseMs);
    const right = read.lines.join('\n') === doc.lines.join('\n');
    const kind = (byKind[doc.kind] ??= { documents: 0, exact: 0 });
    kind.documents += 1;
    if (right) {
      exact += 1;
      kind.exact += 1;
    }
    if (read.doubtful) doubtful += 1;
    if (!right && !read.doubtful) wrongConfident += 1;
    if (read.attempts > 1) secondReads += 1;
  }
  return {
    target: 'p50 ≤ 500 ms per document on 2 cores',
    documents: count,
    modelLoadMs: Math.round(models.loadMs),
    readMs: { p50: percentile(wall, 50), p95: percentile(wall, 95), max: percentile(wall, 100) },
    cpuMsPerRead: { p50: percentile(cpu, 50), p95: percentile(cpu, 95) },
    stagesP50Ms: { detect: percentile(detect, 50), recognise: percentile(recognise, 50) },
    exactReadRate: Number((exact / count).toFixed(3)),
    exact,
    byKind,
    doubtfulRate: Number((doubtful / count).toFixed(3)),
    wrongWithConfidence: wrongConfident,
    secondReads,
    loadAverage: { before: Number(loadBefore?.toFixed(2)), after: Number(loadavg()[0]?.toFixed(2)) },
  };
}
