// The operator's entry point: parse flags, build the operator, run until SIGTERM or a lost lease. Exits 0 on a
// clean stop, 1 when the operator failed (no usable kubeconfig or in-cluster config, lost lease, caches that
// never synced), 2 on bad flags.
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { nonNegativeNumber, positiveInteger } from './cli/number-options.ts';
import { homeDirectory } from './kube/index.ts';
import { createOperator, defaultClientRateLimit, parseBindAddress } from './operator/index.ts';
import { LogLevel, describeError } from './runtime/index.ts';

interface Flags {
  kubeconfig?: string;
  context?: string;
  leaderElect: boolean;
  leaderElectionNamespace: string;
  healthProbeBindAddress: ReturnType<typeof parseBindAddress>;
  metricsBindAddress: ReturnType<typeof parseBindAddress>;
  logLevel: LogLevel;
  concurrency: number;
  istioArtifacts: string;
  allowedImageRegistries?: string[];
  workloadRestarts: boolean;
  allowPodPrivilegesFromSpec?: boolean;
  kubeApiQps: number;
  kubeApiBurst: number;
}

/** `a,b` and repeated flags both add to the list. */
function registryList(value: string, previous: string[] | undefined): string[] {
  const added = value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (added.length === 0) throw new InvalidArgumentError('name at least one registry, e.g. docker.io/istio');
  return [...(previous ?? []), ...added];
}

function bindAddress(value: string): ReturnType<typeof parseBindAddress> {
  try {
    return parseBindAddress(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function flags(argv: string[]): Flags {
  const program = new Command('meshop-operator')
    .description('Runs the meshop operator: reconciles MeshConfig resources into an Istio installation')
    .option(
      '--kubeconfig <file>',
      'kubeconfig file (default: $KUBECONFIG, then the in-cluster config, then ~/.kube/config)',
    )
    .option('--context <name>', 'kubeconfig context')
    .option('--leader-elect', 'hold a coordination.k8s.io Lease so only one replica writes', false)
    .option(
      '--leader-election-namespace <ns>',
      'namespace of the Lease',
      process.env.POD_NAMESPACE ?? 'meshop-system',
    )
    .addOption(
      new Option('--health-probe-bind-address <addr>', '/healthz and /readyz (0 = off)')
        .argParser(bindAddress)
        .default(parseBindAddress(':8081'), ':8081'),
    )
    .addOption(
      // Loopback unless told otherwise: metrics name namespaces and meshes, and nothing authenticates a scrape.
      new Option(
        '--metrics-bind-address <addr>',
        '/metrics (0 = off; the probe address serves both when they are the same; ":8080" for every interface)',
      )
        .argParser(bindAddress)
        .default(parseBindAddress('127.0.0.1:8080'), '127.0.0.1:8080'),
    )
    .addOption(
      new Option('--log-level <level>', 'log level').choices(Object.values(LogLevel)).default('info'),
    )
    .option('--concurrency <n>', 'MeshConfigs reconciled at once', positiveInteger, 1)
    .option(
      '--kube-api-qps <n>',
      'requests a second to the API server, sustained (client-side limit; 0 = none)',
      nonNegativeNumber,
      defaultClientRateLimit.qps,
    )
    .option(
      '--kube-api-burst <n>',
      'requests to the API server that may go at once above --kube-api-qps',
      positiveInteger,
      defaultClientRateLimit.burst,
    )
    .option(
      '--istio-artifacts <dir>',
      "root of Istio's per-version artifacts",
      join(homeDirectory(), '.cache', 'meshop', 'istio-artifacts'),
    )
    .exitOverride();
  addPolicyOptions(program);
  program.parse(argv, { from: 'user' });
  return program.opts<Flags>();
}

/** What MeshConfigs may ask of the operator, which the installer sets to match the rights it grants. */
function addPolicyOptions(program: Command): void {
  program
    .option(
      '--allowed-image-registries <list>',
      'registries rendered pods may pull from, comma-separated or repeated, e.g. docker.io/istio,my.mirror.io ' +
        "(default: the catalogued Istio releases' and the addons' registries)",
      registryList,
    )
    .option(
      '--no-workload-restarts',
      "never restart users' workloads onto a new revision; a MeshConfig asking for it is refused (the installer " +
        'then grants no rights to patch them)',
    )
    .option(
      '--allow-pod-privileges-from-spec',
      "let a MeshConfig's values, overlays and security contexts grant pods more than the release renders " +
        '(containers, host paths and namespaces, privileged mode, capabilities); by default that is refused',
    );
}

async function main(argv: string[]): Promise<number> {
  let f: Flags;
  try {
    f = flags(argv);
  } catch (err) {
    // Commander has already printed its own errors (and --help); anything else has not been said yet.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`meshop-operator: ${describeError(err)}\n`);
    return 1;
  }
  return run(f);
}

/** Builds and runs the operator; any failure, from an unusable kubeconfig on, is one line on stderr. */
async function run(f: Flags): Promise<number> {
  try {
    const manager = await createOperator({
      kube: {
        file: f.kubeconfig,
        context: f.context,
        envKubeconfig: process.env.KUBECONFIG,
        // In a pod: the API server's Service address; the service account's files are at their default mount.
        inCluster: { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT },
      },
      artifactsRoot: f.istioArtifacts,
      probeAddress: f.healthProbeBindAddress,
      metricsAddress: f.metricsBindAddress,
      leaderElection: f.leaderElect ? { namespace: f.leaderElectionNamespace } : undefined,
      logLevel: f.logLevel,
      concurrency: f.concurrency,
      kubeApi: { qps: f.kubeApiQps, burst: f.kubeApiBurst },
      allowedRegistries: f.allowedImageRegistries,
      workloadRestarts: f.workloadRestarts,
      podPrivilegesFromSpec: f.allowPodPrivilegesFromSpec === true,
    });
    manager.stopOnSignals();
    await manager.start();
    return 0;
  } catch (err) {
    process.stderr.write(`meshop-operator: ${describeError(err)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
