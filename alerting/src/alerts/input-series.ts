/**
 * Input series of a generated `promtool test rules` case. Values are written for the
 * profile the rules were generated with: a counter that grows at a per-second rate grows
 * by rate × interval per sample, whatever the interval is.
 */
export interface InputSeries {
  readonly series: string;
  readonly values: SeriesValues;
}

/** Where samples fall: how many, and how far apart in the profile's time and in production time. */
export interface SampleGrid {
  readonly samples: number;
  readonly intervalSeconds: number;
  readonly productionIntervalSeconds: number;
}

/** promtool's expanding notation for the samples of a grid. */
export type SeriesValues = (grid: SampleGrid) => string;

/** A series selector in promtool's notation: `name{a="x",b="y"}`. */
export function seriesName(metric: string, labels: Readonly<Record<string, string>> = {}): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return pairs.length === 0 ? metric : `${metric}{${pairs.join(',')}}`;
}

/** The same value at every sample (NaN too). */
export function constant(value: number): SeriesValues {
  return Number.isNaN(value) ? gaugePhases([{ value, seconds: 0 }]) : ({ samples }) => `${num(value)}x${samples - 1}`;
}

/** One stretch of a gauge's life: its value for this many seconds (production time). */
export interface GaugePhase {
  readonly value: number;
  readonly seconds: number;
}

/**
 * A gauge whose value changes between phases (NaN allowed: promtool reads `NaN`); phase lengths
 * are production seconds, and the last phase lasts until the end.
 */
export function gaugePhases(phases: readonly GaugePhase[]): SeriesValues {
  return ({ samples, productionIntervalSeconds }) => {
    const parts: string[] = [];
    let remaining = samples;
    phases.forEach((phase, i) => {
      const wanted = i === phases.length - 1 ? remaining : Math.round(phase.seconds / productionIntervalSeconds);
      const count = Math.min(remaining, wanted);
      if (count <= 0) return;
      // promtool's expanding notation takes numbers only: NaN is written out once per sample.
      parts.push(
        Number.isNaN(phase.value) ? new Array<string>(count).fill('NaN').join(' ') : `${num(phase.value)}x${count - 1}`,
      );
      remaining -= count;
    });
    return parts.join(' ');
  };
}

/** A counter from 0 growing at `perSecond`. */
export function counter(perSecond: number): SeriesValues {
  return counterPhases([{ perSecond, seconds: Infinity }]);
}

/** One stretch of a counter's life: its rate for this many seconds (production time). */
export interface CounterPhase {
  readonly perSecond: number;
  readonly seconds: number;
}

/** A counter from 0 whose rate changes between phases; phase lengths are production seconds. */
export function counterPhases(phases: readonly CounterPhase[]): SeriesValues {
  return ({ samples, intervalSeconds, productionIntervalSeconds }) => {
    const parts: string[] = [];
    let value = 0;
    let remaining = samples - 1;
    parts.push(num(0));
    for (const phase of phases) {
      if (remaining <= 0) break;
      const steps = Math.min(remaining, Math.round(phase.seconds / productionIntervalSeconds));
      if (steps <= 0) continue;
      const increment = phase.perSecond * intervalSeconds;
      // promtool's "a+bxn" repeats n times after a; the next phase starts one increment on.
      parts.push(`${num(value + increment)}+${num(increment)}x${steps - 1}`);
      value += increment * steps;
      remaining -= steps;
    }
    return parts.join(' ');
  };
}

/** Numbers as promtool reads them; JavaScript's shortest round-trip form is also Go's. */
function num(value: number): string {
  return String(value);
}
