/** A refusal that makes every further request pointless, so the simulation stops with its message. */
export class SimulationStopError extends Error {}

/** The exporter refused the simulator's token (or it sent none where one is needed). */
export class UnauthorizedError extends SimulationStopError {
  override readonly name = 'UnauthorizedError';
}

/** Throws UnauthorizedError for a 401, naming how to pass a token. */
export function checkAuthorized(response: JsonResponse, url: string, sentToken: boolean): void {
  if (response.status !== 401) return;
  throw new UnauthorizedError(
    sentToken
      ? `${url} refused the token (HTTP 401): is it one of the exporter's auth.write tokens?`
      : `${url} needs a token (HTTP 401): pass --token-file FILE or set MLWATCH_TOKEN (or MLWATCH_TOKEN_FILE)`,
  );
}

/** The `authorization` header for a bearer token, or none. */
export function bearerHeaders(token: string | undefined): Readonly<Record<string, string>> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

/** An HTTP answer with its body parsed as JSON (undefined when it is not JSON). */
export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * POSTs a JSON text with the global fetch, which keeps connections alive and reuses them;
 * a network failure or timeout rejects with a one-line reason such as "ECONNREFUSED".
 */
export async function postJson(
  url: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<JsonResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(`POST ${url}: ${describeFetchError(error, timeoutMs)}`, { cause: error });
  }
  // The body must be read in full for the connection to go back to the pool.
  const text = await response.text();
  return { status: response.status, body: parseJson(text) };
}

/** The `error.message` (and `error.field`) of an exporter error body, if it has one. */
export function errorOf(body: unknown): { code: string; message: string; field: string | undefined } | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as Record<string, unknown>;
  return {
    code: textOf(e['code']),
    message: textOf(e['message']),
    field: typeof e['field'] === 'string' ? e['field'] : undefined,
  };
}

/** A JSON value as text: a string as it is, nothing as '', anything else as its JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/** "HTTP 400 invalid_field: features.amount: expected a number" for a refused request. */
export function describeHttpProblem(response: JsonResponse): string {
  const error = errorOf(response.body);
  return error === undefined ? `HTTP ${response.status}` : `HTTP ${response.status} ${error.code}: ${error.message}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** undici hides the useful part (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}
