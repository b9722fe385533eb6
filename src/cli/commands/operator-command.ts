// `meshop operator init|remove`: the operator itself (namespace, CRD, RBAC, Deployment), as `istioctl operator
// init|remove` manage theirs.
import { Option } from 'commander';
import type { Command } from 'commander';
import { connectCluster } from '../cluster-client.ts';
import { durationOption } from '../duration.ts';
import { positiveInteger } from '../number-options.ts';
import { InputError } from '../exit-codes.ts';
import type { GlobalOptions } from '../global-options.ts';

import { installerObjectsLeftOut, renderInstaller } from '../../installer/index.ts';
import type { InstallerOptions } from '../../installer/index.ts';
import { formatObjects } from '../operator-objects.ts';

// The cluster work (operator-init.ts, operator-remove.ts) is imported when a command runs: it brings in the
// Kubernetes client, which every other command would otherwise pay for at start-up.
const defaultOperatorNamespace = 'meshop-system';

interface InitOptions {
  namespace: string;
  image?: string;
  allowedImageRegistries?: string[];
  replicas: number;
  workloadRestarts: boolean;
  allowPodPrivilegesFromSpec?: boolean;
  meshconfigPolicy: boolean;
  watchNamespace?: string;
  dryRun?: boolean;
  output?: string;
  timeout: number;
}

interface RemoveOptions {
  namespace: string;
  purge?: boolean;
  force?: boolean;
  timeout: number;
}

const initExamples = `
Examples:
  # Install the operator, or upgrade it to this meshop's version; waits until it is Available
  meshop operator init

  # Another namespace and image (a mirror)
  meshop operator init --namespace platform-meshop --image registry.example.com/meshop-operator:0.1.0

  # Print what would be applied, without touching the cluster
  meshop operator init --dry-run -o yaml > install.yaml
`;

const removeExamples = `
Examples:
  # Remove the operator; the CRD and every MeshConfig (and so the meshes) stay
  meshop operator remove

  # Also remove the CRD; refused (exit 1) while a MeshConfig exists
  meshop operator remove --purge

  # Delete every MeshConfig first (their meshes are torn down), then the operator and the CRD
  meshop operator remove --purge --force
`;

// MeshConfig is cluster-scoped: there is no namespace to restrict the operator's watch to. The flag is kept so
// `istioctl operator init --watchedNamespaces` habits and scripts do not break, and says it does nothing.
const watchNamespaceNote =
  'meshop: warning: --watch-namespace has no effect: MeshConfig is cluster-scoped and the operator ' +
  'reconciles every MeshConfig in the cluster';

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const timeoutOption = (fallback: string): Option =>
  new Option('--timeout <duration>', 'how long to wait (e.g. 90s, 5m)')
    .argParser(durationOption)
    .default(durationOption(fallback), fallback);

async function runInit(opts: InitOptions, global: GlobalOptions): Promise<void> {
  if (opts.output !== undefined && opts.dryRun !== true) throw new InputError('-o/--output needs --dry-run');
  if (opts.watchNamespace !== undefined) process.stderr.write(`${watchNamespaceNote}\n`);
  const installer: InstallerOptions = {
    namespace: opts.namespace,
    image: opts.image,
    allowedImageRegistries: opts.allowedImageRegistries,
    replicas: opts.replicas,
    workloadRestarts: opts.workloadRestarts,
    podPrivilegesFromSpec: opts.allowPodPrivilegesFromSpec === true,
    meshConfigPolicy: opts.meshconfigPolicy,
  };
  const objects = renderInstaller(installer);
  if (opts.dryRun === true) {
    process.stdout.write(formatObjects(objects, opts.output ?? 'yaml'));
    return;
  }
  const kube = await connectCluster(global);
  const { initOperator } = await import('./operator-init.ts');
  await initOperator(kube, { objects, leftovers: installerObjectsLeftOut(installer) }, opts.timeout, print);
}

function addInit(operator: Command, program: Command): void {
  operator
    .command('init')
    .description(
      'install or upgrade the operator (namespace, CRD, RBAC, Deployment) and wait until it is Available',
    )
    .option('-n, --namespace <namespace>', "the operator's namespace", defaultOperatorNamespace)
    .option('--image <image>', "the operator's image (default: this meshop version's)")
    .option(
      '--allowed-image-registries <list>',
      'registries the mesh pods may pull from, comma-separated or repeated, e.g. docker.io/istio,my.mirror.io ' +
        "(default: the catalogued Istio releases' and the addons' registries)",
      (value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        ...value.split(',').filter((r) => r !== ''),
      ],
    )
    .option(
      '--replicas <n>',
      'operator replicas: one leads, the rest stand by to take over (with more than one, a PodDisruptionBudget)',
      positiveInteger,
      1,
    )
    .option(
      '--no-workload-restarts',
      "grant the operator no right to restart users' workloads onto a new revision; it then refuses MeshConfigs " +
        'that ask for restarts (updateStrategy.restartWorkloads), and workloads are restarted by hand',
    )
    .option(
      '--allow-pod-privileges-from-spec',
      "let MeshConfigs' values and overlays grant the mesh's pods more than the release renders (extra " +
        'containers, host paths and namespaces, privileged mode, capabilities); by default the operator refuses it',
    )
    .option(
      '--no-meshconfig-policy',
      'leave out the admission policy that lets only holders of the "escalate" verb on meshconfigs (cluster-admin, ' +
        'or ClusterRole meshop-meshconfig-escalate) set values, overlays, images, adoption, restarts and teardown',
    )
    .option(
      '--watch-namespace <namespace>',
      'accepted for istioctl compatibility; no effect (MeshConfig is cluster-scoped)',
    )
    .option('--dry-run', 'print the objects instead of applying them; needs no cluster')
    .addOption(new Option('-o, --output <format>', 'with --dry-run: output format').choices(['yaml', 'json']))
    .addOption(timeoutOption('5m'))
    .addHelpText('after', initExamples)
    .action((opts: InitOptions) => runInit(opts, program.opts<GlobalOptions>()));
}

function addRemove(operator: Command, program: Command): void {
  operator
    .command('remove')
    .description('remove the operator; the CRD and MeshConfigs stay unless --purge')
    .option('-n, --namespace <namespace>', "the operator's namespace", defaultOperatorNamespace)
    .option('--purge', 'also delete the MeshConfig CRD; refused while a MeshConfig exists')
    .option('--force', 'with --purge: delete every MeshConfig first and wait for its mesh to be torn down')
    .addOption(timeoutOption('5m'))
    .addHelpText('after', removeExamples)
    .action(async (opts: RemoveOptions) => {
      if (opts.force === true && opts.purge !== true) throw new InputError('--force needs --purge');
      const kube = await connectCluster(program.opts<GlobalOptions>());
      const { removeOperator } = await import('./operator-remove.ts');
      const options = { namespace: opts.namespace, purge: opts.purge === true, force: opts.force === true };
      await removeOperator(kube, { ...options, timeoutMs: opts.timeout }, print);
    });
}

export function addOperatorCommand(program: Command): void {
  const operator = program
    .command('operator')
    .description('install, upgrade or remove the meshop operator')
    .addHelpText('after', `\nExamples:\n  meshop operator init\n  meshop operator remove --purge\n`);
  addInit(operator, program);
  addRemove(operator, program);
}
