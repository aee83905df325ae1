import { UsageError, type Command } from './command';
import { demoCommand } from './commands/demo-command';
import { driftCommand } from './commands/drift-command';
import { performanceCommand } from './commands/performance-command';
import { generateCommand } from './commands/generate-command';
import { initCommand } from './commands/init-command';
import { profileCommand } from './commands/profile-command';
import { serveCommand } from './commands/serve-command';
import { simulateCommand } from './commands/simulate-command';
import { slackSinkCommand } from './commands/slack-sink-command';
import { stackCommand } from './commands/stack-command';
import { validateCommand } from './commands/validate-command';

const COMMANDS: readonly Command[] = [
  initCommand,
  serveCommand,
  simulateCommand,
  demoCommand,
  profileCommand,
  driftCommand,
  performanceCommand,
  generateCommand,
  validateCommand,
  stackCommand,
  slackSinkCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: mlwatch <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "mlwatch <command> --help" for a command's options.`;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    console.error(`mlwatch: unknown command ${JSON.stringify(name)}\n\n${overview()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    // parseArgs reports unknown or malformed options with these codes.
    const code = (error as { code?: string }).code;
    if (
      error instanceof UsageError ||
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ||
      code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
    ) {
      console.error(`mlwatch ${name}: ${(error as Error).message}\n\n${command.usage}`);
      return 2;
    }
    console.error(`mlwatch ${name}: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
