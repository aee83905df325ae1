import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authSchema } from '../../../spec/src/auth-schema';
import { loadAuthTokens } from '../../../exporter/src/auth/load-tokens';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccccccccccccccccccc';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'mlwatch-tokens-'));
}

function load(auth: unknown, dir: string, env: NodeJS.ProcessEnv = {}) {
  return loadAuthTokens(authSchema.parse(auth), (file) => path.resolve(dir, file), env);
}

/** The message `run` throws; fails when it does not throw. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('loadAuthTokens', () => {
  test('a token file holds one token per line; blank lines and # comments are skipped; paths are relative to the spec', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'write'), `# rotated 2026-12-03\n${A}\n\n  ${B}  \r\n`);
    const tokens = load({ write: { token_files: ['write'] } }, dir);
    expect(tokens.write.size).toBe(2);
    expect([tokens.write.accepts(A), tokens.write.accepts(B), tokens.write.accepts(C)]).toEqual([true, true, false]);
    expect(tokens.read.size).toBe(0);
  });

  test('an environment variable holds a token (or several, comma- or space-separated); NAME_FILE names a file of them', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'read'), `${C}\n`);
    const tokens = load({ write: { token_env: ['W'] }, read: { token_env: ['R'] } }, dir, {
      W: `${A}, ${B}`,
      R_FILE: path.join(dir, 'read'),
    });
    expect([tokens.write.size, tokens.write.accepts(A), tokens.write.accepts(B)]).toEqual([2, true, true]);
    expect([tokens.read.size, tokens.read.accepts(C)]).toEqual([1, true]);
  });

  test('an unset variable adds no token, so the scope stays open', () => {
    const tokens = load({ write: { token_env: ['MLWATCH_WRITE_TOKEN'] } }, tempDir(), {});
    expect(tokens.write.size).toBe(0);
  });

  test('files and variables add up', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'w'), A);
    expect(load({ write: { token_files: ['w'], token_env: ['W'] } }, dir, { W: B }).write.size).toBe(2);
  });

  describe('errors name the spec path and the file or variable, never a token', () => {
    test('a missing token file', () => {
      const dir = tempDir();
      expect(errorOf(() => load({ write: { token_files: ['nope'] } }, dir))).toBe(
        `auth.write.token_files[0]: cannot read the token file ${path.join(dir, 'nope')}: ENOENT`,
      );
    });

    test('an empty token file', () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'empty'), '# nothing yet\n\n');
      expect(errorOf(() => load({ read: { token_files: ['empty'] } }, dir))).toBe(
        `auth.read.token_files[0]: the token file ${path.join(dir, 'empty')} holds no token`,
      );
    });

    test('a token too short to be safe', () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'short'), `${A}\nshort-secret\n`);
      const message = errorOf(() => load({ write: { token_files: ['short'] } }, dir));
      expect(message).toBe(
        `auth.write.token_files[0] (${path.join(dir, 'short')}): entry 2 is 12 characters long; a token needs at least 16 (openssl rand -hex 32 makes one)`,
      );
      expect(message).not.toContain('short-secret');
    });

    test('a token with characters a bearer header cannot carry', () => {
      const secret = 'with space inside-0123456789';
      const message = errorOf(() => load({ write: { token_env: ['W'] } }, tempDir(), { W: `"${secret}"` }));
      expect(message).toMatch(/^auth\.write\.token_env\[0\] \(W\): entry 1 is not a bearer token/);
      expect(message).not.toContain('inside');
    });

    test('both NAME and NAME_FILE set', () => {
      expect(errorOf(() => load({ write: { token_env: ['W'] } }, tempDir(), { W: A, W_FILE: '/x' }))).toBe(
        'auth.write.token_env[0]: both W and W_FILE are set; set one',
      );
    });
  });
});
