/**
 * Just enough of PromQL for the rule linter: a tokenizer (strings, comments, label matchers and
 * ranges kept whole) and the calls of range-vector functions with the metric and range they read.
 * Written here because a full parser (`@prometheus-io/lezer-promql`) is not a dependency yet; the
 * checks only need calls, their argument's metric name and their range.
 */

type Token =
  | { readonly kind: 'ident'; readonly text: string }
  | { readonly kind: 'range'; readonly text: string }
  | { readonly kind: 'matchers' }
  | { readonly kind: 'open' | 'close' | 'other'; readonly text: string };

/** A call such as `rate(mlwatch_predictions_total{status="error"}[5m])`. */
export interface RangeCall {
  readonly fn: string;
  /** The metric the range selects; undefined for a subquery over an expression. */
  readonly metric: string | undefined;
  /** The range as written, e.g. `5m` (a subquery's step left out). */
  readonly range: string;
}

const IDENT_START = /[A-Za-z_:]/;
const IDENT = /[A-Za-z0-9_:]/;

/** Index just past the closing `close` of the bracket opened at `start`, skipping quoted strings. */
function skipBracket(expr: string, start: number, close: string): number {
  let i = start + 1;
  while (i < expr.length && expr[i] !== close)
    i = expr[i] === '"' || expr[i] === "'" || expr[i] === '`' ? skipString(expr, i) : i + 1;
  if (i >= expr.length)
    throw new SyntaxError(`PromQL: unclosed "${expr[start] ?? ''}" at ${start} in ${JSON.stringify(expr)}`);
  return i + 1;
}

function skipString(expr: string, start: number): number {
  const quote = expr[start];
  let i = start + 1;
  while (i < expr.length && expr[i] !== quote) i += expr[i] === '\\' && quote !== '`' ? 2 : 1;
  if (i >= expr.length) throw new SyntaxError(`PromQL: unclosed string at ${start} in ${JSON.stringify(expr)}`);
  return i + 1;
}

export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '#') i = expr.includes('\n', i) ? expr.indexOf('\n', i) : expr.length;
    else if (c === '"' || c === "'" || c === '`') {
      const end = skipString(expr, i);
      tokens.push({ kind: 'other', text: expr.slice(i, end) });
      i = end;
    } else if (c === '{') {
      i = skipBracket(expr, i, '}');
      tokens.push({ kind: 'matchers' });
    } else if (c === '[') {
      const end = skipBracket(expr, i, ']');
      tokens.push({ kind: 'range', text: expr.slice(i + 1, end - 1).trim() });
      i = end;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', text: c });
      i++;
    } else if (IDENT_START.test(c)) {
      let end = i + 1;
      while (end < expr.length && IDENT.test(expr[end] as string)) end++;
      tokens.push({ kind: 'ident', text: expr.slice(i, end) });
      i = end;
    } else {
      tokens.push({ kind: 'other', text: c });
      i++;
    }
  }
  return tokens;
}

/** Every call of one of `functions` whose argument is a range (a range selector or a subquery). */
export function rangeCalls(expr: string, functions: ReadonlySet<string>): RangeCall[] {
  const tokens = tokenize(expr);
  const calls: RangeCall[] = [];
  tokens.forEach((token, at) => {
    if (token.kind !== 'ident' || !functions.has(token.text) || tokens[at + 1]?.kind !== 'open') return;
    let depth = 0;
    let metric: string | undefined;
    let range: string | undefined;
    for (let i = at + 1; i < tokens.length; i++) {
      const t = tokens[i] as Token;
      if (t.kind === 'open') depth++;
      else if (t.kind === 'close' && --depth === 0) break;
      else if (depth !== 1) continue;
      else if (t.kind === 'range') range = t.text.split(':')[0]?.trim();
      else if (t.kind === 'ident' && tokens[i + 1]?.kind !== 'open') metric ??= t.text;
    }
    // A subquery's expression is a call or a parenthesis, not a bare metric.
    const subquery = tokens[at + 2]?.kind !== 'ident' || tokens[at + 3]?.kind === 'open';
    if (range !== undefined) calls.push({ fn: token.text, metric: subquery ? undefined : metric, range });
  });
  return calls;
}
