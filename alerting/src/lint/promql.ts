import { createRequire } from 'node:module';
import type * as LezerPromql from '@prometheus-io/lezer-promql' with { 'resolution-mode': 'import' };

// The package is "type": "module" with one index.d.ts for both builds, so TypeScript (Node16, CommonJS
// here) refuses a static import although its exports ship a CommonJS build: require that build, typed.
const { parser } = createRequire(__filename)('@prometheus-io/lezer-promql') as typeof LezerPromql;

/** A node of the parse tree (lezer's SyntaxNode, named through the parser so no second import is needed). */
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/**
 * PromQL of a rule or a dashboard query, parsed with Prometheus's own lezer grammar (shared by the
 * rule and dashboard linters). Grafana's variables are substituted first, as dashboard-linter does:
 * those in label values stay (a string is a string), interval variables become durations no query
 * spells by hand, any other becomes a placeholder name. A rule has none, so it parses as written.
 */
export interface ParsedQuery {
  /** The parse error's position and text, or undefined when the query parses. */
  readonly error?: string;
  /** Every vector selector (also those inside range selectors), with its label matchers. */
  readonly selectors: readonly Selector[];
  /** Every `rate`, `irate` and `increase` call and the range it reads, as written (`$__rate_interval`). */
  readonly rangeFunctions: readonly RangeFunction[];
}

export interface Selector {
  readonly text: string;
  readonly matchers: readonly Matcher[];
}

export interface Matcher {
  readonly label: string;
  readonly op: string;
  /** Without quotes, as written (`$job`). */
  readonly value: string;
}

export interface RangeFunction {
  readonly name: string;
  readonly range: string;
  /** The metric the range selects; undefined for a subquery over an expression. */
  readonly metric: string | undefined;
}

/** Grafana's interval variables; each is replaced by its own unusual duration and read back by it. */
const INTERVAL_VARIABLES = ['__rate_interval', '__interval', '__range', '__range_s', '__range_ms', '__interval_ms'];
const MAGIC_SECONDS = 11_277_964;
const RANGE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

/** `$name`, `${name}` or `[[name]]` outside string literals; strings are matched first and kept. */
const TOKEN =
  /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)\]\]/g;

/** The expression with Grafana's variables replaced so that PromQL's parser reads it. */
export function substituteVariables(expr: string): string {
  return expr.replace(TOKEN, (token, braced?: string, bare?: string, bracketed?: string) => {
    const name = braced ?? bare ?? bracketed;
    if (name === undefined) return token;
    const interval = INTERVAL_VARIABLES.indexOf(name);
    return interval >= 0 ? `${MAGIC_SECONDS + interval}s` : `grafana_variable_${name}`;
  });
}

/** A range as written: an interval variable's placeholder read back as `$name`, any other as is. */
function rangeAsWritten(range: string): string {
  const seconds = /^(\d+)s$/.exec(range)?.[1];
  const interval = seconds === undefined ? -1 : Number(seconds) - MAGIC_SECONDS;
  return INTERVAL_VARIABLES[interval] === undefined ? range : `$${INTERVAL_VARIABLES[interval]}`;
}

/** Parses a dashboard query (Grafana variables allowed) into what the target rules check. */
export function parseQuery(expr: string): ParsedQuery {
  const source = substituteVariables(expr);
  const text = (node: SyntaxNode) => source.slice(node.from, node.to);
  const selectors: Selector[] = [];
  const rangeFunctions: RangeFunction[] = [];
  let error: string | undefined;
  parser.parse(source).iterate({
    enter: (ref) => {
      if (ref.type.isError && error === undefined)
        error = `cannot parse at character ${ref.from + 1}: "${source.slice(ref.from, ref.from + 20)}"`;
      if (ref.name === 'VectorSelector') selectors.push({ text: text(ref.node), matchers: matchersOf(ref.node, text) });
      if (ref.name === 'FunctionCall') {
        const call = rangeFunctionOf(ref.node, text);
        if (call !== undefined) rangeFunctions.push(call);
      }
    },
  });
  return { ...(error === undefined ? {} : { error }), selectors, rangeFunctions };
}

/** The range a `rate`, `irate` or `increase` call reads (through `offset`/`@`), or undefined for other calls. */
function rangeFunctionOf(call: SyntaxNode, text: (node: SyntaxNode) => string): RangeFunction | undefined {
  const name = call.getChild('FunctionIdentifier');
  if (name === null || !RANGE_FUNCTIONS.has(text(name))) return undefined;
  let argument = call.getChild('FunctionCallBody')?.firstChild ?? null;
  while (argument !== null && argument.name !== 'MatrixSelector' && argument.name !== 'SubqueryExpr')
    argument =
      argument.name === 'OffsetExpr' || argument.name === 'StepInvariantExpr'
        ? argument.firstChild
        : argument.nextSibling;
  const duration = argument?.getChild('DurationExpr') ?? null;
  if (argument === null || duration === null) return undefined;
  const selector = argument.name === 'MatrixSelector' ? argument.getChild('VectorSelector') : null;
  const metric = selector?.getChild('Identifier') ?? null;
  return {
    name: text(name),
    range: rangeAsWritten(text(duration).trim()),
    metric: metric === null ? undefined : text(metric),
  };
}

function matchersOf(selector: SyntaxNode, text: (node: SyntaxNode) => string): Matcher[] {
  const matchers: Matcher[] = [];
  const list = selector.getChild('LabelMatchers');
  for (let child = list?.firstChild ?? null; child !== null; child = child.nextSibling) {
    if (!child.name.endsWith('LabelMatcher')) continue;
    const label = child.getChild('LabelName') ?? child.getChild('QuotedLabelName');
    const op = child.getChild('MatchOp');
    const value = child.getChild('StringLiteral');
    if (label === null || op === null || value === null) continue;
    matchers.push({
      label: text(label).replace(/^"|"$/g, ''),
      op: text(op),
      value: text(value).slice(1, -1),
    });
  }
  return matchers;
}
