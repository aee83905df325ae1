/** A setup problem (missing tool, too few CPUs, bad option) with the fix in its message; printed without a stack trace. */
export class SetupError extends Error {}
