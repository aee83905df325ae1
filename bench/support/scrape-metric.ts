/**
 * Reads one metric off a running exporter's `/metrics` text: the sum of every series with
 * that exact name (e.g. `mlwatch_drift_evaluation_seconds_count` over all models).
 */
export async function scrapeMetricSum(baseUrl: string, name: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`);
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${baseUrl}/metrics answered ${response.status}: ${text.slice(0, 300)}`);
  const sum = sumMetric(text, name);
  if (sum === undefined) throw new Error(`GET ${baseUrl}/metrics has no series named ${name}`);
  return sum;
}

/** The sum of every series named exactly `name` in a `/metrics` text, or undefined when there is none. */
export function sumMetric(text: string, name: string): number | undefined {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    // A series line is the name, optional {labels}, a space and the value.
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
    found = true;
  }
  return found ? sum : undefined;
}
