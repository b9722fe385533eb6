// `meshop install` and `meshop uninstall`: apply or delete one MeshConfig and, with --wait, follow the operator
// until the mesh is ready or gone. Invalid input is refused offline, before anything reaches the cluster.
import { Option } from 'commander';
import type { Command } from 'commander';
import type { KubeObject } from '../../kube/index.ts';
import { adoptExistingAnnotation as adoptAnnotation } from '../../api/index.ts';
import { connectCluster } from '../cluster-client.ts';
import { durationOption } from '../duration.ts';
import { InputError } from '../exit-codes.ts';
import type { GlobalOptions } from '../global-options.ts';
import { loadMeshInput } from '../mesh-input.ts';

interface InstallOptions {
  filename: string[];
  set: string[];
  adoptExisting?: boolean;
  wait?: boolean;
  timeout: number;
  progress: boolean;
}

interface UninstallOptions {
  name?: string;
  filename: string[];
  wait?: boolean;
  timeout: number;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const timeoutOption = (): Option =>
  new Option('--timeout <duration>', 'with --wait: how long to wait (e.g. 90s, 10m)')
    .argParser(durationOption)
    .default(durationOption('10m'), '10m');

const installExamples = `
Examples:
  # Apply a MeshConfig and follow the operator until every component is ready (exit 1 if one fails)
  meshop install -f mesh.yaml --wait

  # istioctl's --set paths on top of the file
  meshop install -f mesh.yaml --set values.pilot.autoscaleMin=2 --wait --timeout 15m

  # Plain lines instead of the live view, e.g. in CI logs
  meshop install -f mesh.yaml --wait --no-progress

  # Take over an Istio that istioctl installed (without it, the operator stops with Conflict naming each object;
  # on a terminal, install --wait then asks whether to adopt them)
  meshop install -f mesh.yaml --adopt-existing --wait
`;

function withAdoption(mesh: KubeObject): KubeObject {
  const annotations = { ...mesh.metadata.annotations, [adoptAnnotation]: 'true' };
  return { ...mesh, metadata: { ...mesh.metadata, annotations } };
}

const uninstallExamples = `
Examples:
  # Delete the MeshConfig named in the file and wait until the operator has torn the mesh down
  meshop uninstall -f mesh.yaml --wait

  # By name, without waiting
  meshop uninstall --name demo
`;

export function addInstallCommand(program: Command): void {
  program
    .command('install')
    .description(
      'apply a MeshConfig (validated offline first) and, with --wait, show its progress until Ready',
    )
    .option(
      '-f, --filename <file>',
      'MeshConfig file (repeatable; later files override earlier; - for stdin)',
      collect,
      [],
    )
    .option('--set <path=value>', 'set a spec field with istioctl path syntax (repeatable)', collect, [])
    .option('--wait', 'wait until the operator reports the mesh Ready; exit 1 if a component fails')
    .addOption(timeoutOption())
    .option('--no-progress', 'with --wait: plain lines, one per state change, even on a terminal')
    .option(
      '--adopt-existing',
      `let the operator take over objects with the rendered names that meshop did not create (an istiod ` +
        `installed by istioctl or Helm); sets the MeshConfig annotation ${adoptAnnotation}=true`,
    )
    .addHelpText('after', installExamples)
    .action(async (opts: InstallOptions) => {
      const input = loadMeshInput({ files: opts.filename, sets: opts.set });
      const mesh = opts.adoptExisting === true ? withAdoption(input) : input;
      const kube = await connectCluster(program.opts<GlobalOptions>());
      const { installMesh } = await import('./mesh-install.ts');
      const { askOnTerminal, canAsk } = await import('../view/confirm.ts');
      await installMesh(kube, mesh, {
        wait: opts.wait === true,
        timeoutMs: opts.timeout,
        live: opts.progress && process.stdout.isTTY,
        // Asked only on a terminal, and not when --adopt-existing already said yes.
        confirmAdoption: canAsk() && opts.adoptExisting !== true ? askOnTerminal : undefined,
      });
    });
}

function meshName(opts: UninstallOptions): string {
  if (opts.name !== undefined && opts.filename.length > 0)
    throw new InputError('give --name or -f, not both');
  if (opts.filename.length === 0) return opts.name ?? 'default';
  return loadMeshInput({ files: opts.filename, sets: [] }).metadata.name ?? 'default';
}

export function addUninstallCommand(program: Command): void {
  program
    .command('uninstall')
    .description('delete a MeshConfig; the operator then tears its mesh down')
    .option('--name <name>', 'the MeshConfig to delete (default: default)')
    .option(
      '-f, --filename <file>',
      'delete the MeshConfig this file describes (as for install)',
      collect,
      [],
    )
    .option('--wait', 'wait until the operator has torn the mesh down and the MeshConfig is gone')
    .addOption(timeoutOption())
    .addHelpText('after', uninstallExamples)
    .action(async (opts: UninstallOptions) => {
      const name = meshName(opts);
      const kube = await connectCluster(program.opts<GlobalOptions>());
      const { uninstallMesh } = await import('./mesh-install.ts');
      await uninstallMesh(kube, name, { wait: opts.wait === true, timeoutMs: opts.timeout });
    });
}
