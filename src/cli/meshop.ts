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

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('meshop')
    .description('Install, upgrade and remove the Istio service mesh from one MeshConfig resource')
    .showHelpAfterError('(run meshop --help for usage)')
    .exitOverride();
  addGlobalOptions(program);
  addVersionCommand(program, packageVersion());
  addManifestCommand(program);
  addArtifactsCommand(program);
  addProfileCommand(program);
  addConvertCommand(program);
  return program;
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
    return exitCodeFor(err);
  }
}
