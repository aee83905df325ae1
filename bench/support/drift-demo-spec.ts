import { readFileSync, writeFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { loadSpec } from '../../spec/src/load-spec';
import { writeDemoSpecCopy, type DemoSpecCopy } from './demo-spec';

type Yaml = Record<string, unknown>;

/** The drift settings a demo spec copy gets. */
export interface DriftDemoSettings {
  windowSize: number;
  evaluationIntervalSeconds: number;
}

/**
 * A copy of the demo spec in `dir` (see demo-spec.ts) with its drift made heavy: the given window
 * and interval, `drift_test: ks` on every numeric feature and `chi2` on every categorical one
 * (KS cannot take categories), so each evaluation sorts and scans full windows.
 */
export function writeDriftDemoSpec(repoRoot: string, dir: string, settings: DriftDemoSettings): DemoSpecCopy {
  const copy = writeDemoSpecCopy(repoRoot, dir);
  const doc = yaml.load(readFileSync(copy.specFile, 'utf8')) as Yaml;
  doc['drift'] = {
    ...((doc['drift'] ?? {}) as Yaml),
    window_size: settings.windowSize,
    evaluation_interval_seconds: settings.evaluationIntervalSeconds,
  };
  for (const model of doc['models'] as Yaml[]) {
    for (const feature of model['features'] as Yaml[])
      feature['drift_test'] = feature['type'] === 'numeric' ? 'ks' : 'chi2';
  }
  writeFileSync(
    copy.specFile,
    `# Copy of mlwatch.yaml for bench/drift-bench.ts: window ${settings.windowSize}, evaluation every ${settings.evaluationIntervalSeconds} s, ks/chi2.\n` +
      yaml.dump(doc, { lineWidth: 200 }),
  );
  // Fails fast with the spec's own messages if the edit made it invalid.
  loadSpec(copy.specFile);
  return copy;
}
