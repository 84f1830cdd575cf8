/** Command-line entry: parses argv and picks the app, a headless command, or the server. */
import { Command, CommanderError } from 'commander';
import { registerServe } from './server/serve-command.js';
import { registerCommands, rerunArgv } from './commands/index.js';
import { registerApp } from './launch/app-command.js';

/** Builds the full command tree; exported so tests can inspect it. */
export function buildProgram(): Command {
  const program = new Command('mlbatch')
    .description('Run and watch batch executions on Machine Learning Server web services')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError("(see 'mlbatch --help')")
    .helpCommand(true)
    // The connection options belong to the program: each command's help lists them too. The
    // overview names each command (its arguments are in `mlbatch help <command>`): with them, the
    // longest (diff's six) pushed every description past 80 columns, unwrapped.
    .configureHelp({ showGlobalOptions: true, subcommandTerm: (cmd) => cmd.name() })
    .exitOverride();
  registerApp(program);
  registerCommands(program);
  registerServe(program);
  return program;
}

/** Runs mlbatch with the given arguments; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    // The app is the program's own action, so a mistyped command would read as a stray argument
    // ("too many arguments"): name it as a command, with the nearest one.
    // (`unknownCommand` is commander's own message with its suggestion; a test holds it to that.)
    const first = argv[0];
    const known = (name: string) => name === 'help' || program.commands.some((c) => c.name() === name || c.aliases().includes(name));
    if (first !== undefined && !first.startsWith('-') && !known(first)) {
      program.args = [first];
      (program as unknown as { unknownCommand(): never }).unknownCommand();
    }
    await program.parseAsync(rerunArgv(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors with 2.
      return err.exitCode === 0 ? 0 : 2;
    }
    throw err;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
