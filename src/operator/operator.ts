// The operator process, assembled: kube client, logger, metrics, optional leader election, the manager and
// the MeshConfig controller. Everything configurable arrives as options (main.ts parses the flags); tests start
// the same operator in-process.
import { hostname } from 'node:os';
import { onChartEngineStopped } from '../charts/index.ts';
import { operatorLeaseName } from '../installer/index.ts';
import { connect } from '../kube/index.ts';
import type { ClientRateLimit, KubeClient, KubeConfigSource } from '../kube/index.ts';
import { addMeshController, apiEventRecorder, artifactsDirectory } from '../reconcile/index.ts';
import type { ReleaseSource } from '../reconcile/index.ts';
import {
  CachedObjectClient,
  IdleMemoryReclaimer,
  LeaderElector,
  Manager,
  createLogger,
  createMetrics,
  lastResortCollection,
} from '../runtime/index.ts';
import type { BindAddress, LogLevel, Logger, RuntimeMetrics } from '../runtime/index.ts';

export interface OperatorOptions {
  kube: KubeConfigSource | KubeClient;
  artifactsRoot: string;
  /** Where Istio releases come from; the artifacts directory under artifactsRoot unless given (tests, benches). */
  releases?: ReleaseSource;
  /** host:port of /healthz and /readyz; none when undefined. */
  probeAddress?: BindAddress | undefined;
  /** host:port of /metrics; none when undefined; the probe address serves both when they are the same. */
  metricsAddress?: BindAddress | undefined;
  leaderElection?:
    | {
        namespace: string;
        leaseName?: string;
        identity?: string;
        leaseDurationMs?: number;
        renewDeadlineMs?: number;
        retryPeriodMs?: number;
      }
    | undefined;
  logLevel?: LogLevel;
  logger?: Logger;
  concurrency?: number;
  /** Re-reconcile every MeshConfig this often without events (the controller's default unless given). */
  resyncMs?: number;
  /** The registry /metrics serves; a fresh one with process metrics unless given (tests read it). */
  metrics?: RuntimeMetrics | undefined;
  /** Registries rendered pods may pull from; the catalogued releases' and the addons' when unset. */
  allowedRegistries?: readonly string[] | undefined;
  /** Whether users' workloads may be restarted onto a new revision (--workload-restarts); unset: yes. */
  workloadRestarts?: boolean | undefined;
  /** Whether a MeshConfig's values may grant pods more than the release renders (--allow-pod-privileges-from-spec). */
  podPrivilegesFromSpec?: boolean | undefined;
  /** The client-side rate limit of requests to the API server (defaultClientRateLimit unless given). */
  kubeApi?: ClientRateLimit | undefined;
}

/**
 * Enough for an install (one phase is tens of objects) and a restart batch to go at once, low enough that a
 * reconcile loop gone wrong cannot flood the API server; the API server's own fairness (APF) answers 429 beyond
 * its share, which the transport honours.
 */
export const defaultClientRateLimit: ClientRateLimit = { qps: 100, burst: 200 };

const isClient = (k: KubeConfigSource | KubeClient): k is KubeClient => 'objects' in k;

type ElectionOptions = NonNullable<OperatorOptions['leaderElection']>;

function elector(kube: KubeClient, election: ElectionOptions, logger: Logger): LeaderElector {
  const { namespace, leaseName, identity, ...timings } = election;
  return new LeaderElector(kube.objects, {
    lease: { name: leaseName ?? operatorLeaseName, namespace },
    identity: identity ?? `${hostname()}-${String(process.pid)}`,
    logger,
    ...timings,
  });
}

export async function createOperator(options: OperatorOptions): Promise<Manager> {
  // A client given by the caller (tests) is theirs to fence.
  const fence = new AbortController();
  const metrics = options.metrics ?? createMetrics({ processMetrics: true });
  const kube = isClient(options.kube)
    ? options.kube
    : connect(options.kube, {
        rateLimit: options.kubeApi ?? defaultClientRateLimit,
        fence: fence.signal,
        observe: metrics.observeRequest,
      });
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'info' });
  const manager = new Manager({
    logger,
    metrics,
    server: options.probeAddress,
    metricsServer: options.metricsAddress,
    ...(options.leaderElection ? { elector: elector(kube, options.leaderElection, logger) } : {}),
    onLeadershipLost: () => {
      fence.abort(new Error('leader election lost: no further requests'));
    },
  });
  await addMeshController(manager, {
    client: kube.objects,
    // The reconciler reads what the informers hold instead of asking the API server again (issue #14).
    cachedClient: new CachedObjectClient(kube.transport),
    releases: options.releases ?? artifactsDirectory(options.artifactsRoot),
    events: apiEventRecorder(kube.objects, () => new Date(), logger),
    logger,
    metrics,
    concurrency: options.concurrency ?? 1,
    ...(options.resyncMs !== undefined ? { resyncMs: options.resyncMs } : {}),
    allowedRegistries: options.allowedRegistries,
    workloadRestarts: options.workloadRestarts,
    podPrivilegesFromSpec: options.podPrivilegesFromSpec,
  });
  // Converged, the operator idles for hours: the memory its reconciles and the chart engine's thread used goes
  // back to the system instead of sitting in V8's page pool (ADR 0026).
  manager.add(
    new IdleMemoryReclaimer({
      collect: lastResortCollection(),
      subscribe: onChartEngineStopped,
      observe: metrics.observeIdleReclaim,
      logger,
    }),
  );
  return manager;
}
