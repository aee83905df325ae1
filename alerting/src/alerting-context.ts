import type { Spec } from '../../exporter/src/config/schema';
import { RATE_WINDOW, SLO_WINDOWS } from '../../exporter/src/conventions';
import { profileSeconds, type GenerationProfile } from './generation-profile';
import { formatDuration, parseDuration } from './prometheus-duration';

/**
 * What every rule builder needs: the spec, and time as the chosen profile runs it. Windows
 * are named by their production length (that is what recording-rule names carry) and
 * written into PromQL at the profile's length.
 */
export interface AlertingContext {
  readonly spec: Spec;
  readonly profile: GenerationProfile;
  /** PromQL range for a production window such as `5m` or `3d`. */
  range(productionWindow: string): string;
  /** `for:` of an alert from its production seconds. */
  forDuration(productionSeconds: number): string;
  /** Production name of the fleet-drift window (`1h` for 3600 s), used in recording-rule names. */
  readonly fleetWindow: string;
}

export function alertingContext(spec: Spec, profile: GenerationProfile): AlertingContext {
  return {
    spec,
    profile,
    range: (window) => formatDuration(parseDuration(window) / profile.timeCompression),
    forDuration: (seconds) => formatDuration(profileSeconds(profile, seconds)),
    fleetWindow: formatDuration(spec.drift.fleet_window_seconds),
  };
}

/** Rates need two samples in their window; fewer and the rule returns nothing, silently. */
const MIN_SCRAPES_PER_WINDOW = 2;

/**
 * Problems that only matter once rules are generated, each naming its spec path: windows
 * that span fewer than two scrapes in this profile.
 */
export function windowProblems(spec: Spec, profile: GenerationProfile): string[] {
  const problems: string[] = [];
  const scrape = profile.scrapeIntervalSeconds;
  const windows: [string, number][] = [
    ...[RATE_WINDOW, ...SLO_WINDOWS].map((w): [string, number] => [`the ${w} rate window`, parseDuration(w)]),
    [`drift.fleet_window_seconds (${spec.drift.fleet_window_seconds})`, spec.drift.fleet_window_seconds],
  ];
  const shortest = Math.min(...windows.map(([, seconds]) => seconds));
  for (const [what, seconds] of windows) {
    const running = seconds / profile.timeCompression;
    if (running >= MIN_SCRAPES_PER_WINDOW * scrape) continue;
    const field = what.startsWith('drift.') ? 'drift.fleet_window_seconds' : profile.name === 'production' ? 'prometheus.scrape_interval_seconds' : 'profile';
    problems.push(`${field}: ${what} lasts ${formatDuration(running)} in the ${profile.name} profile, shorter than ${MIN_SCRAPES_PER_WINDOW} scrapes of ${formatDuration(scrape)}` +
      (field === 'prometheus.scrape_interval_seconds' ? ` (at most ${shortest / MIN_SCRAPES_PER_WINDOW} s)` : ''));
  }
  if (spec.prometheus.evaluation_interval_seconds > spec.prometheus.scrape_interval_seconds * 10) {
    problems.push(`prometheus.evaluation_interval_seconds: ${spec.prometheus.evaluation_interval_seconds} s is over ten scrapes; alerts would lag the data`);
  }
  return problems;
}
