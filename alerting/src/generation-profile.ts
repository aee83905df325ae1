import type { Spec } from '../../spec/src/schema';

export const PROFILE_NAMES = ['production', 'fast'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * Time as the generated files see it. Production uses the spec's intervals and durations;
 * the fast profile (end-to-end tests, the native stack) compresses every window, `for:` and
 * Alertmanager interval 60× and scrapes every second, so an hour of alerting happens in a
 * minute. Recording-rule names keep the production windows in both, so dashboards match.
 */
export interface GenerationProfile {
  readonly name: ProfileName;
  /** Production seconds per profile second. */
  readonly timeCompression: number;
  readonly scrapeIntervalSeconds: number;
  readonly evaluationIntervalSeconds: number;
  /** Shortest `for:` and Alertmanager interval: below a second, timing jitter decides. */
  readonly floorSeconds: number;
  /**
   * Shortest exporter-down `for:` as the profile runs it. Compression shrinks alert time, not
   * how long a process takes to restart: 120 s compressed to 2 s would page on an ordinary
   * restart (about half a second here, a few seconds on a loaded machine).
   */
  readonly restartToleranceSeconds: number;
}

const FAST_TIME_COMPRESSION = 60;

export function generationProfile(name: ProfileName, spec: Spec): GenerationProfile {
  if (name === 'production') {
    return {
      name,
      timeCompression: 1,
      scrapeIntervalSeconds: spec.prometheus.scrape_interval_seconds,
      evaluationIntervalSeconds: spec.prometheus.evaluation_interval_seconds,
      floorSeconds: 0,
      restartToleranceSeconds: 0,
    };
  }
  return {
    name,
    timeCompression: FAST_TIME_COMPRESSION,
    scrapeIntervalSeconds: 1,
    evaluationIntervalSeconds: 1,
    floorSeconds: 1,
    restartToleranceSeconds: 10,
  };
}

/** A production duration as this profile runs it. */
export function profileSeconds(profile: GenerationProfile, productionSeconds: number): number {
  if (productionSeconds === 0) return 0;
  return Math.max(profile.floorSeconds, productionSeconds / profile.timeCompression);
}
