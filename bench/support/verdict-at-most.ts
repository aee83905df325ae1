/** `PASS` or `FAIL` for an upper-bound target, e.g. `PASS (31.2 <= 50)`; report.ts's `verdict` is the lower-bound twin. */
export function verdictAtMost(value: string, target: string, pass: boolean): string {
  return `${pass ? 'PASS' : 'FAIL'} (${value} ${pass ? '<=' : '>'} ${target})`;
}
