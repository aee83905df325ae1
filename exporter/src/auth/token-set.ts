import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The tokens of one scope, kept as SHA-256 digests. A presented token is hashed and compared
 * with every digest in constant time, so neither the time taken nor an early exit tells a
 * client how much of a token it got right, or which of several tokens matched.
 */
export class TokenSet {
  private readonly digests: readonly Buffer[];

  constructor(tokens: Iterable<string>) {
    this.digests = [...new Set(tokens)].map(digest);
  }

  /** How many distinct tokens the scope accepts; 0 means the scope is open. */
  get size(): number {
    return this.digests.length;
  }

  accepts(presented: string): boolean {
    const candidate = digest(presented);
    let matched = false;
    for (const known of this.digests) matched = timingSafeEqual(candidate, known) || matched;
    return matched;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
