// The `meshop` command line: builds the command tree and turns any failure into one line and an exit code.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode, errorLine, exitCodeFor } from './exit-codes.ts';
import { addGlobalOptions } from './global-options.ts';
import { addArtifactsCommand } from './artifacts-command.ts';
import { addConvertCommand } from './convert-command.ts';
import { addProfileCommand } from './profile-command.ts';
import { addManifestCommand } from './manifest-command.ts';
import { addVersionCommand } from './version-command.ts';
import { addOperatorCommand } from './operator-command.ts';
import { addInstallCommands } from './install-command.ts';
import { addCompletionCommand } from './completion-command.ts';
import type { GlobalOptions } from './global-options.ts';
import { addStatusCommand } from './status-command.ts';
import { addTagCommand } from './tag-command.ts';
import { addUpgradeCommand } from './upgrade-command.ts';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** A usage error (unknown flag, missing argument) as one line, like every other error, with the way out. */
export function usageErrorLine(text: string): string {
  const message = text
    .replace(/^error: /, '')
    .trim()
    .split(/\s*\n\s*/)
    .join(' ');
  return `meshop: ${message} (run meshop --help for usage)\n`;
}

export function buildProgram(): Command {
  const program = new Command('meshop')
    .description('Install, upgrade and remove the Istio service mesh from one MeshConfig resource')
    .configureOutput({
      outputError: (text, write) => {
        write(usageErrorLine(text));
      },
    })
    .exitOverride();
  addGlobalOptions(program);
  addVersionCommand(program, packageVersion());
  addManifestCommand(program);
  addArtifactsCommand(program);
  addProfileCommand(program);
  addConvertCommand(program);
  addOperatorCommand(program);
  addInstallCommands(program);
  addCompletionCommand(program);
  addStatusCommand(program);
  addTagCommand(program);
  addUpgradeCommand(program);
  return program;
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
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.Ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the usage problem (or the help/version text, which is exit 0).
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    process.stderr.write(`${errorLine(err)}\n`);
    if (program.opts<GlobalOptions>().verbose === true) process.stderr.write(`${verboseDetail(err)}\n`);
    return exitCodeFor(err);
  }
}
