// The `meshop` command line: works out which command a run asks for, loads only that command's module, and turns
// any failure into one line and an exit code. Start-up is mostly module loading (ADR 0019): `meshop --help` loads
// no command, `meshop manifest generate` never loads the cluster client, `meshop status` never the renderer.
import { Command, CommanderError } from 'commander';
import { commandIndex } from './command-index.ts';
import type { CommandEntry } from './command-index.ts';
import { ExitCode, errorLine } from './exit-codes.ts';
import { addGlobalOptions } from './global-options.ts';
import type { GlobalOptions } from './global-options.ts';

/** A usage error (unknown flag, missing argument) as one line, like every other error, with the way out. */
export function usageErrorLine(text: string): string {
  const message = text
    .replace(/^error: /, '')
    .trim()
    .split(/\s*\n\s*/)
    .join(' ');
  return `meshop: ${message} (run meshop --help for usage)\n`;
}

function emptyProgram(): Command {
  const program = new Command('meshop')
    .description('Install, upgrade and remove the Istio service mesh from one MeshConfig resource')
    .configureOutput({
      outputError: (text, write) => {
        write(usageErrorLine(text));
      },
    })
    .exitOverride();
  addGlobalOptions(program);
  return program;
}

/** The program with the given commands loaded; every command unless told which. */
export async function buildProgram(entries: readonly CommandEntry[] = commandIndex): Promise<Command> {
  const program = emptyProgram();
  for (const entry of entries) (await entry.load())(program);
  return program;
}

/**
 * The program as `meshop --help` and a first parse see it: every command by name and help line only. Parsing
 * argv with it finds the command asked for (undefined when commander answered alone: help, a usage error).
 */
export function indexProgram(): { program: Command; chosen: () => CommandEntry | undefined } {
  const program = emptyProgram();
  const terms = new Map(commandIndex.map((e) => [e.name, e.term]));
  program.configureHelp({
    subcommandTerm: (cmd) => terms.get(cmd.name()) ?? `${cmd.name()} [command]`,
  });
  let chosen: CommandEntry | undefined;
  for (const entry of commandIndex) {
    program
      .command(entry.name)
      .description(entry.description)
      // Everything after the name is the real command's to read, its --help included.
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        chosen = entry;
      });
  }
  return { program, chosen: () => chosen };
}

/** Which commands a run needs: the one asked for; all of them for `help <command>` and completion scripts. */
async function programFor(argv: string[]): Promise<Command | undefined> {
  const index = indexProgram();
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === 'help') return buildProgram();
  await index.program.parseAsync(argv, { from: 'user' });
  const entry = index.chosen();
  if (entry === undefined) return undefined;
  return buildProgram(entry.name === 'completion' ? commandIndex : [entry]);
}

/** --verbose: the stack of the error and of each cause under it, for a bug report. */
function verboseDetail(err: unknown): string {
  const parts: string[] = [];
  // Bounded: a cause chain could, in principle, point back at itself.
  for (
    let e: unknown = err;
    e !== undefined && parts.length < 10;
    e = e instanceof Error ? e.cause : undefined
  ) {
    parts.push(e instanceof Error ? (e.stack ?? e.message) : JSON.stringify(e));
  }
  return parts.join('\ncaused by: ');
}

export async function runCli(argv: string[]): Promise<ExitCode> {
  let program: Command | undefined;
  try {
    program = await programFor(argv);
    await program?.parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the usage problem (or the help/version text, which is exit 0).
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    process.stderr.write(`${errorLine(err)}\n`);
    if (program?.opts<GlobalOptions>().verbose === true) process.stderr.write(`${verboseDetail(err)}\n`);
    const { exitCodeFor } = await import('./exit-code-for.ts');
    return exitCodeFor(err);
  }
}
