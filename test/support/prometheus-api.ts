/** A series of an instant query: its labels and value (NaN and ±Inf as Prometheus writes them). */
export interface Sample {
  readonly metric: Record<string, string>;
  readonly value: number;
  /** Unix seconds. */
  readonly time: number;
}

/** A series of a range query: its labels and every [time, value] point. */
export interface RangeSeries {
  readonly metric: Record<string, string>;
  readonly points: readonly (readonly [time: number, value: number])[];
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

/** The few Prometheus HTTP API calls the end-to-end tests make, against a real Prometheus. */
export class PrometheusApi {
  constructor(readonly url: string) {}

  /** Instant query, at `time` (Unix seconds) or now; vectors only. */
  async query(expr: string, time?: number): Promise<Sample[]> {
    const data = await this.get<{
      resultType: string;
      result: { metric: Record<string, string>; value: [number, string] }[];
    }>('/api/v1/query', { query: expr, ...(time === undefined ? {} : { time: String(time) }) });
    if (data.resultType !== 'vector') throw new Error(`${expr}: expected a vector, got a ${data.resultType}`);
    return data.result.map((r) => ({ metric: r.metric, time: r.value[0], value: Number(r.value[1]) }));
  }

  /** Range query from `start` to `end` (Unix seconds) every `step` seconds. */
  async queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    const data = await this.get<{ result: { metric: Record<string, string>; values: [number, string][] }[] }>(
      '/api/v1/query_range',
      { query: expr, start: String(start), end: String(end), step: String(step) },
    );
    return data.result.map((r) => ({ metric: r.metric, points: r.values.map(([t, v]) => [t, Number(v)] as const) }));
  }

  /** Raw samples of a range selector such as `metric[30s]`, evaluated at `time`. */
  async rawSamples(selector: string, time: number): Promise<RangeSeries[]> {
    const data = await this.get<{
      resultType: string;
      result: { metric: Record<string, string>; values: [number, string][] }[];
    }>('/api/v1/query', { query: selector, time: String(time) });
    if (data.resultType !== 'matrix') throw new Error(`${selector}: expected a matrix, got a ${data.resultType}`);
    return data.result.map((r) => ({ metric: r.metric, points: r.values.map(([t, v]) => [t, Number(v)] as const) }));
  }

  /** Every rule group with its rules' health and last error. */
  async ruleGroups(): Promise<
    { name: string; file: string; rules: { name: string; type: string; health: string; lastError?: string }[] }[]
  > {
    return (
      await this.get<{
        groups: {
          name: string;
          file: string;
          rules: { name: string; type: string; health: string; lastError?: string }[];
        }[];
      }>('/api/v1/rules', {})
    ).groups;
  }

  /** Active scrape targets with their job and health. */
  async targets(): Promise<{ labels: Record<string, string>; health: string; lastError: string }[]> {
    return (
      await this.get<{ activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] }>(
        '/api/v1/targets',
        { state: 'active' },
      )
    ).activeTargets;
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const res = await fetch(`${this.url}${path}?${new URLSearchParams(params).toString()}`, {
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as ApiAnswer<T>;
    if (body.status !== 'success')
      throw new Error(`Prometheus ${path} ${JSON.stringify(params)}: ${body.error ?? res.status}`);
    return body.data;
  }
}

/** Of `expressions`, the ones that return no series now: a test asserts this list is empty. */
export async function expressionsWithoutSeries(
  prometheus: PrometheusApi,
  expressions: readonly string[],
): Promise<string[]> {
  const empty: string[] = [];
  for (const expr of expressions) if ((await prometheus.query(expr)).length === 0) empty.push(expr);
  return empty;
}
