/** Drift tests a feature can use; `auto` picks one by type, cardinality and reference size. */
export const DRIFT_TESTS = ['ks', 'chi2', 'psi', 'jensenshannon', 'wasserstein', 'cvm', 'anderson'] as const;
export type DriftTestName = (typeof DRIFT_TESTS)[number];
export type DriftTestChoice = DriftTestName | 'auto';

/** Tests that answer with a p-value; they enter the multiple-testing correction. */
export const P_VALUE_TESTS: ReadonlySet<DriftTestName> = new Set(['ks', 'chi2', 'cvm', 'anderson']);

/** Tests that answer with a distance; a feature drifts when the distance reaches its threshold. */
export const DISTANCE_TESTS: ReadonlySet<DriftTestName> = new Set(['psi', 'jensenshannon', 'wasserstein']);
