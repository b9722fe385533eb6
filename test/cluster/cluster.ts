// A real local Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and KWOK (fake Nodes whose Pods become Running/Ready), in a fresh directory with its own
// certificates. The Service CIDR lies inside 127.0.0.0/8, so nothing the API server dials ever leaves the host.
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  readFileSync,
  readdirSync,
  existsSync,
  statSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject } from '../../src/kube/index.ts';
import { ensureBinaries } from './binaries.ts';
import { eventually } from '../support/eventually.ts';
import { probe } from './health.ts';
import { adminKubeconfig } from './kubeconfig.ts';
import { createPki } from './pki.ts';
import type { Pki } from './pki.ts';
import { freePorts } from './ports.ts';
import { launch, pidAlive, recordedPids, stopPid } from './processes.ts';
import type { Component } from './processes.ts';
import { writePodReadyStage } from './pods/handled-pods.ts';
import { registerPrograms } from './pods/programs.ts';
import type { ProgramTable } from './pods/programs.ts';

export const serviceCidr = '127.96.0.0/16';
export const kubernetesServiceIp = '127.96.0.1';
/** KWOK hands out pod and node addresses from here; nothing dials them, and they are loopback anyway. */
export const podCidr = '127.100.0.0/16';

export interface ClusterOptions {
  /** Fake nodes to create (default 1). */
  nodes?: number;
  /** Kill the processes if this process dies (default true; `make cluster-up` turns it off). */
  dieWithParent?: boolean;
  /** Write an API server audit log of every request (used to count writes). */
  auditLog?: boolean;
  /** Where cluster directories live (default ~/.cache/meshop/clusters). */
  rootDir?: string;
  binDir?: string;
  startTimeoutMs?: number;
  /**
   * Images the pod runner runs as local processes (istiod of each built release); more can be registered later
   * with registerPrograms. Pods of the runner's labels with other images are only marked Ready.
   */
  programs?: ProgramTable;
  /**
   * The controller-manager's and scheduler's client rate (requests/s; burst twice that). Their defaults (20 and
   * 50) make growing thousands of pods take minutes of throttling: bench/scale raises them.
   */
  componentQps?: number;
}

export interface Cluster {
  dir: string;
  kubeconfigPath: string;
  /** The admin kubeconfig as YAML text. */
  kubeconfig: string;
  server: string;
  binDir: string;
  auditLogPath: string | undefined;
  logFile(component: string): string;
  client(): KubeClient;
  stop(): Promise<void>;
}

/** A cluster this process started and owns, which it may also break. */
export interface PrivateCluster extends Cluster {
  /**
   * Stops kube-apiserver alone and starts it again with the same flags; etcd and its data stay. It gets SIGTERM
   * and, still draining its open watches 2 s later, SIGKILL: clients see refused connections, then reset ones.
   */
  restartApiServer(): Promise<void>;
}

interface Layout {
  dir: string;
  binDir: string;
  pki: Pki;
  kubeconfigPath: string;
  ports: { etcd: number; peer: number; api: number; kcm: number; sched: number };
  auditLogPath: string | undefined;
  dieWithParent: boolean;
  componentQps: number | undefined;
}

export function clustersRoot(rootDir?: string): string {
  return rootDir ?? join(homedir(), '.cache', 'meshop', 'clusters');
}

export async function startCluster(opts: ClusterOptions = {}): Promise<PrivateCluster> {
  const root = clustersRoot(opts.rootDir);
  mkdirSync(root, { recursive: true });
  await sweepStaleClusters(root);
  const binDir = opts.binDir ?? ensureBinaries();
  const layout = await prepare(root, binDir, opts);
  registerPrograms(layout.dir, opts.programs ?? {});
  const started: Component[] = [];
  const stop = async (): Promise<void> => {
    for (const c of [...started].reverse()) await stopPid(c.pid);
    rmSync(layout.dir, { recursive: true, force: true });
  };
  try {
    await bootComponents(layout, started, opts.startTimeoutMs ?? 60_000);
    const kube = connect({ file: layout.kubeconfigPath });
    await addNodes(kube, opts.nodes ?? 1, opts.startTimeoutMs ?? 60_000);
  } catch (err) {
    const logs = started.map((c) => `--- ${c.name} (${c.logFile}):\n${tail(c.logFile, 15)}`).join('\n');
    await stop();
    throw new Error(`local cluster failed to start: ${(err as Error).message}\n${logs}`, { cause: err });
  }
  return {
    ...describe(layout, stop),
    restartApiServer: () => restartApiServer(layout, started, opts.startTimeoutMs ?? 60_000),
  };
}

async function restartApiServer(l: Layout, started: Component[], timeoutMs: number): Promise<void> {
  const i = started.findIndex((c) => c.name === 'kube-apiserver');
  const old = started[i];
  if (!old) throw new Error('kube-apiserver is not running');
  await stopPid(old.pid, 2_000);
  const api = launch({
    dir: l.dir,
    name: 'kube-apiserver',
    binary: join(l.binDir, 'kube-apiserver'),
    args: apiserverArgs(l),
    dieWithParent: l.dieWithParent,
  });
  // Replaced in place, so stop() still ends the components in reverse start order.
  started[i] = api;
  await apiServerReady(l, api, timeoutMs);
}

async function apiServerReady(l: Layout, api: Component, timeoutMs: number): Promise<void> {
  const ca = readFileSync(l.pki.caCert);
  await eventually(
    'kube-apiserver /readyz',
    whileRunning(api, async () => {
      return (await probe(`https://127.0.0.1:${String(l.ports.api)}/readyz`, { ca })).code === 200;
    }),
    timeoutMs,
  );
}

function describe(layout: Layout, stop: () => Promise<void>): Cluster {
  let stopping: Promise<void> | undefined;
  return {
    dir: layout.dir,
    kubeconfigPath: layout.kubeconfigPath,
    kubeconfig: readFileSync(layout.kubeconfigPath, 'utf8'),
    server: `https://127.0.0.1:${String(layout.ports.api)}`,
    binDir: layout.binDir,
    auditLogPath: layout.auditLogPath,
    logFile: (component) => join(layout.dir, 'logs', `${component}.log`),
    client: () => connect({ file: layout.kubeconfigPath }),
    stop: () => (stopping ??= stop()),
  };
}

async function prepare(root: string, binDir: string, opts: ClusterOptions): Promise<Layout> {
  const dir = mkdtempSync(join(root, 'c-'));
  for (const sub of ['logs', 'pids', 'etcd']) mkdirSync(join(dir, sub), { mode: 0o700 });
  const dieWithParent = opts.dieWithParent ?? true;
  // The owner file lets a later start tell an abandoned test cluster (owner dead) from a live one.
  writeFileSync(join(dir, 'owner'), dieWithParent ? String(process.pid) : 'persistent');
  const ports = await namedPorts();
  const pki = createPki(join(dir, 'pki'), kubernetesServiceIp);
  const kubeconfigPath = join(dir, 'admin.kubeconfig');
  writeFileSync(kubeconfigPath, adminKubeconfig(`https://127.0.0.1:${String(ports.api)}`, pki), {
    mode: 0o600,
  });
  const auditLogPath = opts.auditLog ? join(dir, 'logs', 'audit.jsonl') : undefined;
  if (auditLogPath) writeFileSync(join(dir, 'audit-policy.yaml'), auditPolicy);
  return {
    dir,
    binDir,
    pki,
    kubeconfigPath,
    ports,
    auditLogPath,
    dieWithParent,
    componentQps: opts.componentQps,
  };
}

async function namedPorts(): Promise<Layout['ports']> {
  const [etcd, peer, api, kcm, sched] = await freePorts(5);
  if (
    sched === undefined ||
    etcd === undefined ||
    peer === undefined ||
    api === undefined ||
    kcm === undefined
  ) {
    throw new Error('could not find 5 free loopback ports');
  }
  return { etcd, peer, api, kcm, sched };
}

const auditPolicy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
`;

async function bootComponents(l: Layout, started: Component[], timeoutMs: number): Promise<void> {
  const run = (name: string, args: string[]): Component => {
    const c = launch({
      dir: l.dir,
      name,
      binary: join(l.binDir, name),
      args,
      dieWithParent: l.dieWithParent,
    });
    started.push(c);
    return c;
  };
  const etcd = run('etcd', etcdArgs(l));
  await eventually(
    'etcd health',
    whileRunning(etcd, async () => {
      const r = await probe(`http://127.0.0.1:${String(l.ports.etcd)}/health`);
      return r.code === 200 && r.body.includes('"health":"true"');
    }),
    timeoutMs,
  );
  await apiServerReady(l, run('kube-apiserver', apiserverArgs(l)), timeoutMs);
  const kcm = run('kube-controller-manager', controllerManagerArgs(l));
  const sched = run('kube-scheduler', schedulerArgs(l));
  for (const [c, port] of [
    [kcm, l.ports.kcm],
    [sched, l.ports.sched],
  ] as const) {
    await eventually(
      `${c.name} /healthz`,
      whileRunning(c, async () => {
        return (await probe(`https://127.0.0.1:${String(port)}/healthz`, { insecure: true })).code === 200;
      }),
      timeoutMs,
    );
  }
  run('kwok', kwokArgs(l));
  // The kubelet of the pods KWOK leaves alone (istiod, the operator): test/cluster/pods.
  const runner = launch({
    dir: l.dir,
    name: 'pod-runner',
    binary: process.execPath,
    args: [join(import.meta.dirname, 'pods', 'runner-main.ts'), l.dir],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? l.dir },
    dieWithParent: l.dieWithParent,
  });
  started.push(runner);
}

/** Wraps a readiness check so that a component that already exited fails at once, not at the deadline. */
function whileRunning(c: Component, check: () => Promise<boolean>): () => Promise<boolean> {
  let exit: string | undefined;
  void c.exited.then((why) => (exit = why));
  return async () => {
    if (exit !== undefined) throw new Error(`${c.name} exited (${exit})`);
    return check();
  };
}

function etcdArgs(l: Layout): string[] {
  const client = `http://127.0.0.1:${String(l.ports.etcd)}`;
  const peer = `http://127.0.0.1:${String(l.ports.peer)}`;
  return [
    '--name=node0',
    `--data-dir=${join(l.dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=node0=${peer}`,
    // Test data is disposable; skipping fsync makes every write several times faster.
    '--unsafe-no-fsync=true',
    '--auto-compaction-retention=1',
    '--log-level=warn',
  ];
}

function apiserverArgs(l: Layout): string[] {
  const args = [
    `--etcd-servers=http://127.0.0.1:${String(l.ports.etcd)}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${String(l.ports.api)}`,
    // A loopback advertise address is only accepted when the endpoint reconciler is off; nothing here needs
    // the `kubernetes` Service's Endpoints.
    '--advertise-address=127.0.0.1',
    '--endpoint-reconciler-type=none',
    `--tls-cert-file=${l.pki.apiserverCert}`,
    `--tls-private-key-file=${l.pki.apiserverKey}`,
    `--client-ca-file=${l.pki.caCert}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${l.pki.saPub}`,
    `--service-account-signing-key-file=${l.pki.saKey}`,
    `--service-cluster-ip-range=${serviceCidr}`,
    '--authorization-mode=Node,RBAC',
    '--allow-privileged=true',
    `--cert-dir=${join(l.dir, 'pki', 'apiserver-generated')}`,
  ];
  if (l.auditLogPath) {
    args.push(
      `--audit-policy-file=${join(l.dir, 'audit-policy.yaml')}`,
      `--audit-log-path=${l.auditLogPath}`,
    );
    args.push('--audit-log-format=json', '--audit-log-mode=blocking');
  }
  return args;
}

function controllerManagerArgs(l: Layout): string[] {
  return [
    ...componentAuthArgs(l),
    `--secure-port=${String(l.ports.kcm)}`,
    `--root-ca-file=${l.pki.caCert}`,
    `--service-account-private-key-file=${l.pki.saKey}`,
    `--cluster-signing-cert-file=${l.pki.caCert}`,
    `--cluster-signing-key-file=${l.pki.caKey}`,
    '--use-service-account-credentials=true',
  ];
}

function schedulerArgs(l: Layout): string[] {
  return [...componentAuthArgs(l), `--secure-port=${String(l.ports.sched)}`];
}

function componentAuthArgs(l: Layout): string[] {
  return [
    `--kubeconfig=${l.kubeconfigPath}`,
    `--authentication-kubeconfig=${l.kubeconfigPath}`,
    `--authorization-kubeconfig=${l.kubeconfigPath}`,
    '--bind-address=127.0.0.1',
    '--leader-elect=false',
    `--cert-dir=${join(l.dir, 'pki')}`,
    ...(l.componentQps
      ? [`--kube-api-qps=${String(l.componentQps)}`, `--kube-api-burst=${String(2 * l.componentQps)}`]
      : []),
  ];
}

function kwokArgs(l: Layout): string[] {
  const stages = ['node-initialize', 'node-heartbeat-with-lease', 'pod-complete', 'pod-delete'];
  return [
    `--kubeconfig=${l.kubeconfigPath}`,
    '--manage-all-nodes=true',
    '--node-lease-duration-seconds=40',
    `--cidr=${podCidr}`,
    '--node-ip=127.0.0.1',
    ...stages.map((s) => `--config=${join(l.binDir, 'kwok-stages', `${s}.yaml`)}`),
    `--config=${writePodReadyStage(join(l.binDir, 'kwok-stages'), l.dir)}`,
  ];
}

function nodeObject(i: number): KubeObject {
  const name = `kwok-node-${String(i)}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name },
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
  };
}

async function addNodes(kube: KubeClient, count: number, timeoutMs: number): Promise<void> {
  for (let i = 0; i < count; i++) await kube.objects.apply(nodeObject(i), { fieldManager: 'meshop-test' });
  await eventually(
    `${String(count)} nodes Ready`,
    async () => {
      const { items } = await kube.objects.list({ apiVersion: 'v1', kind: 'Node' });
      return items.filter(isReadyNode).length >= count;
    },
    timeoutMs,
  );
  // The ServiceAccount admission plugin rejects Pods until the controller-manager made `default`.
  await eventually(
    'ServiceAccount default/default',
    async () => {
      return (
        (await kube.objects.find({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          namespace: 'default',
          name: 'default',
        })) !== undefined
      );
    },
    timeoutMs,
  );
}

function isReadyNode(node: KubeObject): boolean {
  const status = node.status as { conditions?: { type: string; status: string }[] } | undefined;
  return status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Stops clusters left behind by test processes that died, and removes their directories. */
export async function sweepStaleClusters(root: string): Promise<void> {
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    const owner = readOwner(dir);
    if (owner === 'persistent' || (typeof owner === 'number' && pidAlive(owner)) || recentlyCreated(dir))
      continue;
    for (const pid of recordedPids(dir).reverse()) await stopPid(pid, 2_000);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A directory another process is still setting up (its owner file may not be written yet). */
function recentlyCreated(dir: string): boolean {
  return readOwner(dir) === undefined && Date.now() - statSync(dir).mtimeMs < 60_000;
}

function readOwner(dir: string): number | 'persistent' | undefined {
  try {
    const text = readFileSync(join(dir, 'owner'), 'utf8').trim();
    return text === 'persistent' ? text : Number(text);
  } catch {
    return undefined;
  }
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
