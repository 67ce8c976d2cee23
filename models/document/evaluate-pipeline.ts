/**
 * Evaluates the whole document pipeline, exactly as `idv inspect` and the browser run it
 * (src/core/document/pipeline.ts with onnxruntime-node), on frames written by dump_frames.py. Where
 * evaluate.py measures the network alone, this measures what the product reports: each look that the
 * pipeline can take is evaluated apart, so that what every stage adds can be read off one report.
 *
 *   node bin/run-ts.mjs models/document/evaluate-pipeline.ts \
 *     --set a=models/document/data/dump_a640_s3 --set b=models/document/data/dump_b640_s4 \
 *     --out models/document/eval-pipeline.json [--frames FILE.jsonl]
 *
 * --frames writes one line per frame and stage (bucket, presence, error) for looking at failures.
 */

import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { DocumentDetection } from '../../src/core/document/decode.js';
import { DEFAULT_EDGE_REFINE, type EdgeRefineSettings } from '../../src/core/document/edge-refine.js';
import {
  DEFAULT_SIDE_EXTENSION,
  type SideExtensionSettings,
} from '../../src/core/document/side-extension.js';
import { DEFAULT_SECOND_LOOK, type SecondLookSettings } from '../../src/core/document/second-look.js';
import { analyzeDocumentFrame, type AnalyzeDocumentOptions } from '../../src/core/document/pipeline.js';
import { DEFAULT_DOCUMENT_THRESHOLDS } from '../../src/core/document/rules.js';
import { createNodeDocumentDetector } from '../../src/cli/inspect-detector.js';
import {
  DumpedFrames,
  TARGETS,
  cameraImage,
  inFrame,
  cornerErrorPct,
  frameBucket,
  summarise,
  type Summary,
} from './figures.js';

/** The stages of the pipeline that are evaluated, each with the options that take it. */
function pipelineStages(
  secondLook: SecondLookSettings,
  refineEdges: EdgeRefineSettings,
  extendSides: SideExtensionSettings,
): Record<string, AnalyzeDocumentOptions> {
  return {
    first_look: { secondLook: false },
    second_look: { secondLook },
    edges: { secondLook, refineEdges, extendSides: false },
    sides: { secondLook, refineEdges, extendSides },
  };
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

function targetsMet(s: Summary) {
  return Object.fromEntries(
    Object.entries(TARGETS).map(([key, t]) => {
      const value = s[key as keyof Summary];
      const met = t.atLeast !== undefined ? value >= t.atLeast : value <= t.atMost!;
      return [
        key,
        { value: round(value), target: t.atLeast !== undefined ? `>= ${t.atLeast}` : `<= ${t.atMost}`, met },
      ];
    }),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      set: { type: 'string', multiple: true },
      out: { type: 'string' },
      frames: { type: 'string' },
      model: { type: 'string' },
      // Overrides of the edge refinement's settings, as JSON, for trying values out.
      edges: { type: 'string' },
      // Overrides of the second look's settings, as JSON.
      'second-look': { type: 'string' },
      // Overrides of the side extension's settings, as JSON.
      sides: { type: 'string' },
      // Comma-separated stages to run (all by default).
      stages: { type: 'string' },
      // Overrides of the rules' thresholds (rules.ts), as JSON, e.g. '{"minPresence": 0.6}'.
      thresholds: { type: 'string' },
    },
  });
  const all = pipelineStages(
    { ...DEFAULT_SECOND_LOOK, ...JSON.parse(values['second-look'] ?? '{}') },
    { ...DEFAULT_EDGE_REFINE, ...JSON.parse(values.edges ?? '{}') },
    { ...DEFAULT_SIDE_EXTENSION, ...JSON.parse(values.sides ?? '{}') },
  );
  const thresholds = { ...DEFAULT_DOCUMENT_THRESHOLDS, ...JSON.parse(values.thresholds ?? '{}') };
  const wanted = values.stages?.split(',');
  const toRun = Object.fromEntries(Object.entries(all).filter(([name]) => !wanted || wanted.includes(name)));
  if (!values.set?.length) throw new Error('give at least one --set NAME=DIR (written by dump_frames.py)');
  const detector = await createNodeDocumentDetector(values.model);
  const report: Record<string, unknown> = {
    pipeline: 'src/core/document/pipeline.ts',
    runtime: 'onnxruntime-node',
  };
  const frameLines: string[] = [];
  for (const spec of values.set) {
    const [name, dir] = spec.split('=') as [string, string];
    const set = new DumpedFrames(dir);
    const dets: Record<string, DocumentDetection[]> = Object.fromEntries(
      Object.keys(toRun).map((k) => [k, []]),
    );
    const ms: Record<string, number> = Object.fromEntries(Object.keys(toRun).map((k) => [k, 0]));
    // What the product's rules themselves say on each frame taken alone (no steadiness): how many cut-off
    // frames they accept (guidance `ok`), and on how many frames the cut_off rule fails, the rules' edge
    // margin included (the detector's counts above read the corner verdicts alone).
    const counts = () => Object.fromEntries(Object.keys(toRun).map((k) => [k, 0]));
    const cutAccepted: Record<string, number> = counts();
    const cutRuleCut: Record<string, number> = counts();
    const cutRuleWhole: Record<string, number> = counts();
    let wholeFrames = 0;
    for (const { index, pixels } of set.frames()) {
      const label = set.labels[index]!;
      const camera = cameraImage(set, index, pixels);
      const bucket = frameBucket(label);
      if (bucket !== 'negative' && bucket !== 'cut_off') wholeFrames++;
      for (const [stage, options] of Object.entries(toRun)) {
        const a = await analyzeDocumentFrame(camera, detector.infer, { ...options, thresholds });
        const detection = inFrame(a.detection, camera.x0, camera.y0);
        dets[stage]!.push(detection);
        ms[stage]! += a.timings.totalMs;
        const cutRule = a.quality.codes.includes('cut_off');
        if (bucket === 'cut_off') {
          if (a.quality.code === 'ok') cutAccepted[stage]!++;
          if (cutRule) cutRuleCut[stage]!++;
        } else if (bucket !== 'negative' && cutRule) cutRuleWhole[stage]!++;
        if (values.frames) {
          const d = detection;
          frameLines.push(
            JSON.stringify({
              set: name,
              index,
              stage,
              bucket,
              kind: label.kind,
              negKind: label.neg_kind,
              present: d.present,
              confidence: round(d.confidence, 4),
              windowConfidence: d.secondLook ? round(d.secondLook.confidence, 4) : null,
              flagged: d.inside.some((v) => !v),
              codes: a.quality.codes,
              inside: d.inside,
              corners: d.corners.map((c) => [round(c.x, 2), round(c.y, 2)]),
              error: label.present && bucket !== 'cut_off' ? round(cornerErrorPct(label, d)) : null,
            }),
          );
        }
      }
    }
    const stages = Object.fromEntries(
      Object.keys(toRun).map((stage) => {
        const s = summarise(set.labels, dets[stage]!);
        const figures = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v)]));
        const pct = (n: number, of: number) => round((100 * n) / Math.max(1, of));
        return [
          stage,
          {
            ...figures,
            cutRefusedPct: pct(s.cut - cutAccepted[stage]!, s.cut),
            cutRuleFailsPct: pct(cutRuleCut[stage]!, s.cut),
            wholeCutRuleFailsPct: pct(cutRuleWhole[stage]!, wholeFrames),
            msPerFrame: round(ms[stage]! / set.labels.length, 2),
            targets: targetsMet(s),
          },
        ];
      }),
    );
    report[name] = {
      set: relative(process.cwd(), dir),
      frames: set.labels.length,
      size: [set.width, set.height],
      stages,
    };
    console.log(name, JSON.stringify(stages, null, 1));
  }
  await detector.dispose();
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  if (values.frames) writeFileSync(values.frames, `${frameLines.join('\n')}\n`);
}

await main();
