import type { Spec } from '../../spec/src/schema';
import { RATE_WINDOW, SLO_WINDOWS } from '../../spec/src/conventions';
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
  /** `for:` of an alert from its production seconds, at least two scrapes unless 0. */
  forDuration(productionSeconds: number): string;
  /** Production name of the fleet-drift window (`1h` for 3600 s), used in recording-rule names. */
  readonly fleetWindow: string;
}

export function alertingContext(spec: Spec, profile: GenerationProfile): AlertingContext {
  return {
    spec,
    profile,
    range: (window) => formatDuration(parseDuration(window) / profile.timeCompression),
    // A for: shorter than two scrapes lets one sample fire the alert (the fast profile's 60x
    // compression makes 60 s one second): it is raised to two scrapes; 0 stays 0.
    forDuration: (seconds) =>
      formatDuration(
        seconds === 0
          ? 0
          : Math.max(profileSeconds(profile, seconds), MIN_SCRAPES_PER_WINDOW * profile.scrapeIntervalSeconds),
      ),
    fleetWindow: formatDuration(spec.drift.fleet_window_seconds),
  };
}

/** Rates need two samples in their window; fewer and the rule returns nothing, silently. */
const MIN_SCRAPES_PER_WINDOW = 2;

/**
 * Problems that only matter once rules are generated, each naming its spec path: windows
 * (fixed, fleet and quality) that span fewer than two scrapes in this profile. The rate and SLO windows are fixed, so
 * for them the field at fault is the scrape interval.
 */
export function windowProblems(spec: Spec, profile: GenerationProfile): string[] {
  const scrape = profile.scrapeIntervalSeconds;
  const fixed = [RATE_WINDOW, ...SLO_WINDOWS].map((w) => ({
    field: 'prometheus.scrape_interval_seconds',
    what: `the ${w} rate window`,
    seconds: parseDuration(w),
  }));
  const fleet = {
    field: 'drift.fleet_window_seconds',
    what: `drift.fleet_window_seconds (${spec.drift.fleet_window_seconds})`,
    seconds: spec.drift.fleet_window_seconds,
  };
  const quality = spec.models.flatMap((model, i) =>
    (model.quality?.windows_seconds ?? []).map((seconds, j) => ({
      field: `models[${i}].quality.windows_seconds[${j}]`,
      what: `models[${i}].quality.windows_seconds[${j}] (${seconds})`,
      seconds,
    })),
  );
  const longestScrape = Math.min(...fixed.map((w) => w.seconds)) / profile.timeCompression / MIN_SCRAPES_PER_WINDOW;
  return [...fixed, fleet, ...quality]
    .filter((w) => w.seconds / profile.timeCompression < MIN_SCRAPES_PER_WINDOW * scrape)
    .map((w) => {
      const hint = w.field === fleet.field || w.field.startsWith('models[') ? '' : ` (at most ${longestScrape} s)`;
      return `${w.field}: ${w.what} lasts ${formatDuration(w.seconds / profile.timeCompression)} in the ${profile.name} profile, shorter than ${MIN_SCRAPES_PER_WINDOW} scrapes of ${formatDuration(scrape)}${hint}`;
    });
}
