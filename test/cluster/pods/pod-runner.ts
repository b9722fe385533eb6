// The pod runner: the kubelet (and kube-proxy) of the pods KWOK leaves alone (handled-pods.ts). It watches those
// pods and every Service, starts a PodWorker for each scheduled pod, stops it when the pod goes, and keeps a
// listener on each Service ClusterIP that selects a process-run pod.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient, KubeObject } from '../../../src/kube/index.ts';
import { Informer } from '../../../src/runtime/index.ts';
import { handledSelectors } from './handled-pods.ts';
import { PodWorker } from './pod-worker.ts';
import type { WorkerContext } from './pod-worker.ts';
import type { Pod } from './pod-spec.ts';
import { podName } from './pod-spec.ts';
import { readPrograms } from './programs.ts';
import type { ImageProgram } from './programs.ts';
import { ServiceForwarder, routesFor } from './service-forwarder.ts';
import type { ServiceView } from './service-forwarder.ts';

export interface RunnerOptions {
  kube: KubeClient;
  clusterDir: string;
  clusterCa: string;
  apiHost: string;
  apiPort: number;
  log: WorkerContext['log'];
}

/** Pod addresses: KWOK hands out 127.100.0.0/16, the runner 127.101.0.0/16. */
function* podAddresses(): Generator<string> {
  for (let i = 2; i < 65_534; i++) yield `127.101.${String(i >> 8)}.${String(i & 255)}`;
  throw new Error('pod runner: out of pod addresses');
}

export class PodRunner {
  private readonly opts: RunnerOptions;
  private readonly ctx: WorkerContext;
  private readonly workers = new Map<string, PodWorker>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly addresses = podAddresses();
  private readonly podInformers: Informer<Pod>[];
  private readonly services: Informer<ServiceView>;
  private readonly forwarder: ServiceForwarder;

  constructor(opts: RunnerOptions) {
    this.opts = opts;
    const logsDir = join(opts.clusterDir, 'logs', 'pods');
    const workRoot = join(opts.clusterDir, 'pods');
    mkdirSync(logsDir, { recursive: true });
    mkdirSync(workRoot, { recursive: true });
    this.ctx = { ...opts, logsDir, workRoot };
    this.podInformers = handledSelectors.map(
      (labelSelector) =>
        new Informer<Pod>(opts.kube.objects, { type: { apiVersion: 'v1', kind: 'Pod' }, labelSelector }),
    );
    this.services = new Informer<ServiceView>(opts.kube.objects, {
      type: { apiVersion: 'v1', kind: 'Service' },
    });
    this.forwarder = new ServiceForwarder(() => [...this.workers.values()], opts.log);
  }

  start(signal: AbortSignal): Promise<unknown> {
    for (const informer of this.podInformers) {
      informer.onChange((pod) => {
        this.serialize(pod, () => this.onPod(pod));
      });
      informer.onDelete((pod) => {
        this.serialize(pod, () => this.remove(pod));
      });
    }
    this.services.onChange(() => {
      this.syncRoutes();
    });
    this.services.onDelete(() => {
      this.syncRoutes();
    });
    signal.addEventListener('abort', () => void this.shutdown());
    return Promise.all([...this.podInformers, this.services].map((i) => i.start(signal)));
  }

  private async shutdown(): Promise<void> {
    this.forwarder.close();
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
  }

  /** Events of one pod are handled one after another, so a delete never overtakes the start it undoes. */
  private serialize(pod: KubeObject, step: () => Promise<void>): void {
    const key = pod.metadata.uid ?? podName(pod);
    const next = (this.pending.get(key) ?? Promise.resolve()).then(step).catch((err: unknown) => {
      this.opts.log('Pod step failed', { pod: podName(pod), error: String(err) });
    });
    this.pending.set(key, next);
    void next.then(() => {
      if (this.pending.get(key) === next) this.pending.delete(key);
    });
  }

  private async onPod(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    if (pod.metadata.deletionTimestamp) return this.remove(pod);
    if (this.workers.has(uid) || !pod.spec.nodeName) return;
    const program = this.programFor(pod);
    const podIP = this.addresses.next().value as string;
    const worker = new PodWorker(this.ctx, { pod, podIP, hostIP: '127.0.0.1' }, program);
    this.workers.set(uid, worker);
    this.opts.log(program ? 'Starting pod as a process' : 'Marking pod ready (no program for its image)', {
      pod: podName(pod),
      podIP,
    });
    try {
      await worker.start();
    } catch (err) {
      // Volumes or tokens could not be made (the API server may be restarting): start afresh in a second.
      this.workers.delete(uid);
      await worker.stop();
      this.opts.log('Pod start failed, retrying', { pod: podName(pod), error: String(err) });
      setTimeout(() => {
        this.serialize(pod, () => this.retry(pod));
      }, 1000);
      return;
    }
    this.syncRoutes();
  }

  /** Starts a pod again if it still exists (same uid) and nothing started it meanwhile. */
  private async retry(pod: Pod): Promise<void> {
    const ref = {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name ?? '',
    };
    const current = await this.opts.kube.objects.find<Pod>(ref).catch(() => pod);
    if (current && current.metadata.uid === pod.metadata.uid) await this.onPod(current);
  }

  private programFor(pod: Pod): ImageProgram | undefined {
    const programs = readPrograms(this.opts.clusterDir);
    const images = pod.spec.containers.map((c) => c.image);
    // Every container needs a program; a pod only partly runnable is marked ready like any KWOK pod.
    return images.every((i) => programs[i] !== undefined) && images.length === 1
      ? programs[images[0] ?? '']
      : undefined;
  }

  private async remove(pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const worker = this.workers.get(uid);
    if (!worker) return;
    this.workers.delete(uid);
    this.syncRoutes();
    await worker.stop();
    this.opts.log('Stopped pod', { pod: podName(pod) });
  }

  private syncRoutes(): void {
    this.forwarder.sync(routesFor(this.services.store.list(), [...this.workers.values()]));
  }
}
