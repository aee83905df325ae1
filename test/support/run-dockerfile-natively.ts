import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execForm, parseDockerfile } from './dockerfile';

/** What a Dockerfile built natively: a directory per stage and how the last stage's image would run. */
export interface NativeImage {
  /** The last stage's /app, i.e. what the image contains. */
  readonly appDir: string;
  readonly stageDirs: ReadonlyMap<string, string>;
  readonly env: Readonly<Record<string, string>>;
  readonly user: string | undefined;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly healthcheck: readonly string[] | undefined;
  /** Every RUN as it was executed, for the test to show. */
  readonly ran: readonly string[];
}

/** The only WORKDIR supported: each stage's directory stands in for it. */
const APP_DIR = '/app';

/**
 * Runs a Dockerfile's steps on this machine, each stage in its own temp directory standing in
 * for its /app: COPY from the build context (minus .dockerignore's top-level entries) or from
 * an earlier stage, RUN through sh with the stage's ENV. Two things cannot be done natively
 * and are said so: the base image (this machine's Node.js stands in) and the image's user
 * (`node:node` in a RUN becomes the current user; USER is recorded, not switched to).
 */
export function runDockerfileNatively(dockerfile: string, context: string): NativeImage {
  const ignored = readDockerignore(context);
  const stageDirs = new Map<string, string>();
  const ran: string[] = [];
  let last: Omit<NativeImage, 'stageDirs' | 'ran'> | undefined;
  parseDockerfile(dockerfile).forEach((stage, index) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `mlwatch-docker-${stage.name ?? index}-`));
    stageDirs.set(stage.name ?? String(index), dir);
    const env: Record<string, string> = {};
    let user: string | undefined;
    let entrypoint: string[] = [];
    let cmd: string[] = [];
    let healthcheck: string[] | undefined;
    for (const { keyword, args } of stage.instructions) {
      switch (keyword) {
        case 'WORKDIR':
          if (args !== APP_DIR) throw new Error(`WORKDIR ${args}: only ${APP_DIR} is supported natively`);
          break;
        case 'ENV':
          for (const pair of args.split(/\s+/)) {
            const [key, value] = pair.split('=');
            env[key as string] = value ?? '';
          }
          break;
        case 'COPY':
          copy(args, context, ignored, stageDirs, dir);
          break;
        case 'RUN': {
          const command =
            process.getuid === undefined
              ? args
              : args.replaceAll('node:node', `${process.getuid()}:${process.getgid?.()}`);
          ran.push(`[${stage.name ?? index}] ${command}`);
          const result = spawnSync('sh', ['-c', command], {
            cwd: dir,
            env: { ...cleanEnv(), ...env },
            encoding: 'utf8',
            timeout: 300_000,
          });
          if (result.status !== 0)
            throw new Error(
              `RUN ${command} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`,
            );
          break;
        }
        case 'USER':
          user = args;
          break;
        case 'ENTRYPOINT':
          entrypoint = execForm(args);
          break;
        case 'CMD':
          cmd = execForm(args);
          break;
        case 'HEALTHCHECK':
          healthcheck = execForm(args.replace(/^(--\S+\s+)*CMD\s+/, ''));
          break;
        case 'EXPOSE':
          break;
        default:
          throw new Error(`${keyword}: not supported natively`);
      }
    }
    last = { appDir: dir, env, user, entrypoint, cmd, healthcheck };
  });
  if (last === undefined) throw new Error(`${dockerfile}: no stage`);
  return { ...last, stageDirs, ran };
}

/** `COPY [--from=stage] src… dst` with Docker's rules: a directory's contents are copied, a file goes into a dst ending in `/`. */
function copy(
  args: string,
  context: string,
  ignored: ReadonlySet<string>,
  stageDirs: ReadonlyMap<string, string>,
  dir: string,
): void {
  const words = args.split(/\s+/);
  const from = words[0]?.startsWith('--from=') ? (words.shift() as string).slice('--from='.length) : undefined;
  const dst = words.pop() as string;
  const sourceRoot = from === undefined ? context : stageDirs.get(from);
  if (sourceRoot === undefined) throw new Error(`COPY --from=${from}: no such stage`);
  const target = path.resolve(dir, dst);
  for (const src of words) {
    const source = path.join(sourceRoot, from === undefined ? src : path.relative(APP_DIR, src));
    if (!existsSync(source)) throw new Error(`COPY ${src}: not found in ${sourceRoot}`);
    const filter = (file: string) =>
      from !== undefined || !ignored.has(path.relative(context, file).split(path.sep)[0] as string);
    if (statSync(source).isDirectory()) cpSync(source, target, { recursive: true, filter });
    else {
      const into = dst.endsWith('/') || dst === '.' || words.length > 1;
      if (into) mkdirSync(target, { recursive: true });
      cpSync(source, into ? path.join(target, path.basename(source)) : target);
    }
  }
}

/** Top-level names in .dockerignore; anything fancier is refused rather than half-understood. */
function readDockerignore(context: string): Set<string> {
  const file = path.join(context, '.dockerignore');
  if (!existsSync(file)) return new Set();
  const names = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (const name of names)
    if (/[*?!/[\]]/.test(name)) throw new Error(`.dockerignore: ${name}: only top-level names are supported natively`);
  return new Set(names);
}

/** This process's environment without npm's own variables, which `npm test` sets and a fresh shell would not have. */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !e[0].toLowerCase().startsWith('npm_'),
    ),
  );
}
