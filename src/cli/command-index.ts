// Every top-level command: its name, its line in `meshop --help`, and the module that defines it, loaded only
// when the command runs. Start-up is module loading (ADR 0019): `meshop --help` loads no command at all and
// `meshop status` never loads the renderer. test/unit/cli/command-index.test.ts keeps these lines equal to what
// the commands themselves declare.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

export interface CommandEntry {
  name: string;
  /** As `meshop --help` lists it: the name, then `[options]` and the arguments if it takes them. */
  term: string;
  description: string;
  /** Adds the real command (and only it) to the program. */
  load: () => Promise<(program: Command) => void>;
}

function packageVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}

export const commandIndex: readonly CommandEntry[] = [
  {
    name: 'version',
    term: 'version [options]',
    description: "print meshop's version and the Kubernetes API server's",
    load: async () => {
      const { addVersionCommand } = await import('./commands/version-command.ts');
      return (program) => {
        addVersionCommand(program, packageVersion());
      };
    },
  },
  {
    name: 'manifest',
    term: 'manifest',
    description: 'render a MeshConfig to Kubernetes objects, offline',
    load: async () => (await import('./commands/manifest-command.ts')).addManifestCommand,
  },
  {
    name: 'artifacts',
    term: 'artifacts',
    description: "Istio's per-version release data (CRD schemas, injection templates)",
    load: async () => (await import('./commands/artifacts-command.ts')).addArtifactsCommand,
  },
  {
    name: 'profile',
    term: 'profile',
    description: "Istio's installation profiles of a release: list them, or dump one as a MeshConfig",
    load: async () => (await import('./commands/profile-command.ts')).addProfileCommand,
  },
  {
    name: 'convert',
    term: 'convert [options]',
    description: 'convert IstioOperator files (install.istio.io/v1alpha1) to one MeshConfig',
    load: async () => (await import('./commands/convert-command.ts')).addConvertCommand,
  },
  {
    name: 'operator',
    term: 'operator',
    description: 'install, upgrade or remove the meshop operator',
    load: async () => (await import('./commands/operator-command.ts')).addOperatorCommand,
  },
  {
    name: 'install',
    term: 'install [options]',
    description:
      'apply a MeshConfig (validated offline first) and, with --wait, show its progress until Ready',
    load: async () => (await import('./commands/install-command.ts')).addInstallCommand,
  },
  {
    name: 'uninstall',
    term: 'uninstall [options]',
    description: 'delete a MeshConfig; the operator then tears its mesh down',
    load: async () => (await import('./commands/install-command.ts')).addUninstallCommand,
  },
  {
    name: 'completion',
    term: 'completion <shell>',
    description: 'print a shell completion script for bash or zsh',
    // The script is built from the whole command tree: every command is loaded (see meshop.ts).
    load: async () => (await import('./commands/completion-command.ts')).addCompletionCommand,
  },
  {
    name: 'status',
    term: 'status [options]',
    description:
      'show each mesh: version, readiness, revisions and what uses them, tags, components, migration',
    load: async () => (await import('./commands/status-command.ts')).addStatusCommand,
  },
  {
    name: 'tag',
    term: 'tag',
    description: 'list, set and remove revision tags',
    load: async () => (await import('./commands/tag-command.ts')).addTagCommand,
  },
  {
    name: 'upgrade',
    term: 'upgrade [options]',
    description: 'move a mesh to another Istio version: print the plan, then change the MeshConfig',
    load: async () => (await import('./commands/upgrade-command.ts')).addUpgradeCommand,
  },
];
