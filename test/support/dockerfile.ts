import { readFileSync } from 'node:fs';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

/** A build stage: its base image, its `AS` name, and its instructions after FROM. */
export interface DockerStage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly DockerInstruction[];
}

/** Parses a Dockerfile into stages; comments and blank lines go, `\` continuations are joined. */
export function parseDockerfile(file: string): DockerStage[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const instructions: DockerInstruction[] = [];
  let current = '';
  for (const line of lines) {
    if (current === '' && /^\s*(#|$)/.test(line)) continue;
    current += line.replace(/\\\s*$/, ' ');
    if (/\\\s*$/.test(line)) continue;
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(current);
    if (match === null) throw new Error(`${file}: cannot read the instruction ${JSON.stringify(current)}`);
    instructions.push({ keyword: (match[1] as string).toUpperCase(), args: (match[2] as string).trim() });
    current = '';
  }
  const stages: { from: string; name: string | undefined; instructions: DockerInstruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from, as, name] = instruction.args.split(/\s+/);
      stages.push({ from: from as string, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (stage === undefined) throw new Error(`${file}: ${instruction.keyword} before the first FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** The arguments of an exec-form instruction (`["node", "bin/mlwatch.js"]`). */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string'))
    throw new Error(`expected the exec form ["…", …], got ${args}`);
  return parsed;
}
