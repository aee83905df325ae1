/**
 * JSON parsing that tolerates the `NaN`, `Infinity` and `-Infinity` literals Python's
 * `json.dumps` writes. They become sentinel strings, so the one event that holds such a
 * value is rejected by validation while the rest of its batch is kept.
 */

const SENTINEL_PREFIX = '\u0000mlwatch:';
const NON_FINITE_LITERALS = ['-Infinity', 'Infinity', 'NaN'] as const;

/** Parses JSON text; non-finite literals in value position come back as sentinels. Throws SyntaxError otherwise. */
export function parseLenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // The native parser is the fast path; only a failed parse pays for the rewrite.
    if (!text.includes('NaN') && !text.includes('Infinity')) throw error;
    const rewritten = replaceNonFiniteLiterals(text);
    if (rewritten === text) throw error;
    try {
      return JSON.parse(rewritten);
    } catch {
      throw error;
    }
  }
}

/** The literal a sentinel stands for (`NaN`, `Infinity`, `-Infinity`), or undefined for any other value. */
export function nonFiniteLiteral(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.charCodeAt(0) !== 0 || !value.startsWith(SENTINEL_PREFIX)) return undefined;
  return value.slice(SENTINEL_PREFIX.length);
}

/** Rewrites non-finite literals that stand where a value may start (after `:`, `[` or `,`); strings are left alone. */
function replaceNonFiniteLiterals(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  let inString = false;
  let lastSignificant = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      lastSignificant = ch;
      continue;
    }
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') continue;
    if (lastSignificant === ':' || lastSignificant === '[' || lastSignificant === ',') {
      const literal = NON_FINITE_LITERALS.find((l) => text.startsWith(l, i));
      if (literal !== undefined) {
        out += `${text.slice(copiedUpTo, i)}"\\u0000mlwatch:${literal}"`;
        i += literal.length - 1;
        copiedUpTo = i + 1;
        lastSignificant = 'literal';
        continue;
      }
    }
    lastSignificant = ch;
  }
  return out + text.slice(copiedUpTo);
}
