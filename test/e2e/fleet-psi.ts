import { psi } from '../../drift/src/stats';
import type { Sample } from '../support/prometheus-api';

/**
 * PSI per feature as docs/alerting.md defines the fleet tier, computed here from what
 * Prometheus returns per replica: `increase()` of each bin (or category) counter over the
 * fleet window, summed over replicas, as shares of the feature's total; against the largest
 * reference ratio any replica exports. Only bins present on both sides count, as PromQL's
 * one-to-one matching does; a feature with no events in the window has no PSI.
 */
export function fleetPsiByFeature(
  increases: readonly Sample[],
  references: readonly Sample[],
  bucketLabel: 'bin' | 'category',
): Map<string, number> {
  const counts = new Map<string, Map<string, number>>();
  for (const sample of increases) {
    const byBucket = getOrCreate(counts, sample.metric['feature'] as string);
    const bucket = sample.metric[bucketLabel] as string;
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + sample.value);
  }
  const reference = new Map<string, Map<string, number>>();
  for (const sample of references) {
    const bucket = sample.metric[bucketLabel];
    if (bucket === undefined) continue;
    const byBucket = getOrCreate(reference, sample.metric['feature'] as string);
    byBucket.set(bucket, Math.max(byBucket.get(bucket) ?? -Infinity, sample.value));
  }
  const result = new Map<string, number>();
  for (const [feature, byBucket] of counts) {
    const total = [...byBucket.values()].reduce((a, b) => a + b, 0);
    const referenceShares = reference.get(feature);
    if (!(total > 0) || referenceShares === undefined) continue;
    const buckets = [...byBucket.keys()].filter((b) => referenceShares.has(b)).sort();
    result.set(
      feature,
      psi(
        buckets.map((b) => referenceShares.get(b) as number),
        buckets.map((b) => (byBucket.get(b) as number) / total),
      ),
    );
  }
  return result;
}

function getOrCreate<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let inner = map.get(key);
  if (inner === undefined) map.set(key, (inner = new Map<string, V>()));
  return inner;
}
