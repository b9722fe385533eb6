// One pod run by the runner, as a kubelet would run it: volumes and tokens prepared, each container started as a
// local process on the pod's own loopback address (restarted with backoff when it exits), the readiness probe
// run, and the pod's status written: Running with its IP at once, Ready only while every probe passes.
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient } from '../../../src/kube/index.ts';
import { startProcess } from './container-process.ts';
import { containerEnv, expand } from './pod-env.ts';
import type { PodFacts } from './pod-env.ts';
import type { Container, Pod } from './pod-spec.ts';
import { podName } from './pod-spec.ts';
import type { PodVolumes } from './pod-volumes.ts';
import { preparePodVolumes } from './pod-volumes.ts';
import type { ImageProgram } from './programs.ts';
import { probeOnce } from './readiness.ts';

export interface WorkerContext {
  kube: KubeClient;
  /** API server address as a pod sees it (KUBERNETES_SERVICE_HOST/PORT). */
  apiHost: string;
  apiPort: number;
  clusterCa: string;
  logsDir: string;
  workRoot: string;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

interface Running {
  container: Container;
  child: ChildProcess | undefined;
  ready: boolean;
  restarts: number;
  startedAt: string;
  failures: number;
}

const basePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class PodWorker {
  readonly facts: PodFacts;
  private readonly ctx: WorkerContext;
  private readonly program: ImageProgram | undefined;
  private readonly running: Running[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private volumes: PodVolumes | undefined;
  private stopped = false;
  private lastReady: boolean | undefined;
  private readySince = new Date().toISOString();
  private readonly started = new Date().toISOString();

  constructor(ctx: WorkerContext, facts: PodFacts, program: ImageProgram | undefined) {
    this.ctx = ctx;
    this.facts = facts;
    this.program = program;
  }

  get pod(): Pod {
    return this.facts.pod;
  }

  /** True while every container passes its readiness probe. */
  get ready(): boolean {
    return this.running.length > 0 && this.running.every((r) => r.ready);
  }

  get runsProcess(): boolean {
    return this.program !== undefined;
  }

  async start(): Promise<void> {
    const now = new Date().toISOString();
    for (const container of this.pod.spec.containers) {
      // Without a program the runner does only what KWOK does for other pods: the containers count as ready.
      const ready = this.program === undefined;
      this.running.push({ container, child: undefined, ready, restarts: 0, startedAt: now, failures: 0 });
    }
    if (this.program) {
      this.volumes = await preparePodVolumes(this.ctx.kube, this.facts, this.workDir(), this.ctx.clusterCa);
      for (const r of this.running) await this.spawn(r);
      this.every(1000, () => this.refreshTokens());
    }
    await this.writeStatus();
    if (this.program) for (const r of this.running) this.probeLoop(r);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    const grace = Math.min(this.pod.spec.terminationGracePeriodSeconds ?? 30, 5) * 1000;
    await Promise.all(this.running.map((r) => terminate(r.child, grace)));
    rmSync(this.workDir(), { recursive: true, force: true });
  }

  private workDir(): string {
    return join(this.ctx.workRoot, this.pod.metadata.uid ?? 'unknown');
  }

  /** Runs `fn` after `ms` (a number or a function of the moment), again and again until the worker stops. */
  private every(ms: number | (() => number), fn: () => Promise<void>): void {
    const tick = (): void => {
      if (this.stopped) return;
      const t = setTimeout(
        () => {
          this.timers.delete(t);
          fn().then(tick, (err: unknown) => {
            this.ctx.log('Pod worker step failed', { pod: podName(this.pod), error: String(err) });
            tick();
          });
        },
        typeof ms === 'number' ? ms : ms(),
      );
      this.timers.add(t);
    };
    tick();
  }

  private async refreshTokens(): Promise<void> {
    if (this.volumes && Date.now() >= this.volumes.refreshAt) await this.volumes.refresh();
  }

  private async argv(container: Container, env: Record<string, string>): Promise<string[]> {
    const program = this.program;
    if (!program) return [];
    // A container `command` names a binary inside the image: its first word is replaced by the program.
    const [, ...commandRest] = container.command ?? [];
    const args = [...commandRest, ...(container.args ?? []), ...(program.extraArgs ?? [])];
    return Promise.resolve([...program.entrypoint, ...args.map((a) => expand(a, env))]);
  }

  private async spawn(r: Running): Promise<void> {
    const base = {
      PATH: basePath,
      HOSTNAME: this.pod.metadata.name ?? '',
      KUBERNETES_SERVICE_HOST: this.ctx.apiHost,
      KUBERNETES_SERVICE_PORT: String(this.ctx.apiPort),
      POD_IP: this.facts.podIP,
      ...(this.program?.env ?? {}),
    };
    const env = await containerEnv(this.ctx.kube.objects, this.facts, r.container, base);
    const ns = this.pod.metadata.namespace ?? '';
    const child = startProcess({
      argv: await this.argv(r.container, env),
      env,
      mounts: this.volumes?.mountsFor(r.container) ?? [],
      workDir: join(this.workDir(), 'cwd', r.container.name),
      logFile: join(this.ctx.logsDir, `${ns}_${this.pod.metadata.name ?? ''}_${r.container.name}.log`),
    });
    r.child = child;
    r.startedAt = new Date().toISOString();
    child.on('exit', (code, signal) => {
      r.child = undefined;
      if (this.stopped) return;
      r.ready = false;
      r.restarts++;
      this.ctx.log('Container exited', { pod: podName(this.pod), container: r.container.name, code, signal });
      const backoff = Math.min(1000 * 2 ** Math.min(r.restarts, 5), 30_000);
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (!this.stopped) void this.spawn(r).then(() => this.writeStatus());
      }, backoff);
      this.timers.add(t);
      void this.writeStatus();
    });
  }

  private probeLoop(r: Running): void {
    const probe = r.container.readinessProbe;
    const period = (probe?.periodSeconds ?? 10) * 1000;
    const threshold = probe?.failureThreshold ?? 3;
    const initial = (probe?.initialDelaySeconds ?? 0) * 1000;
    const step = async (): Promise<void> => {
      const ok = r.child !== undefined && (await probeOnce(r.container, this.facts.podIP));
      r.failures = ok ? 0 : r.failures + 1;
      const ready = ok || (r.ready && r.failures < threshold);
      if (ready !== r.ready) {
        r.ready = ready;
        await this.writeStatus();
      }
    };
    // Probe quickly while not ready, so Ready follows the process closely; then at the probe's period.
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.every(() => (r.ready ? period : 250), step);
    }, initial);
    this.timers.add(t);
  }

  private async writeStatus(): Promise<void> {
    if (this.stopped) return;
    const ready = this.ready;
    if (ready !== this.lastReady) this.readySince = new Date().toISOString();
    this.lastReady = ready;
    const cond = (type: string, status: boolean, since = this.started) => ({
      type,
      status: status ? 'True' : 'False',
      lastTransitionTime: since,
    });
    const status = {
      phase: 'Running',
      podIP: this.facts.podIP,
      podIPs: [{ ip: this.facts.podIP }],
      hostIP: this.facts.hostIP,
      hostIPs: [{ ip: this.facts.hostIP }],
      startTime: this.started,
      conditions: [
        cond('PodScheduled', true),
        cond('Initialized', true),
        cond('ContainersReady', ready, this.readySince),
        cond('Ready', ready, this.readySince),
      ],
      containerStatuses: this.running.map((r) => ({
        name: r.container.name,
        image: r.container.image,
        imageID: '',
        ready: r.ready,
        started: r.child !== undefined || this.program === undefined,
        restartCount: r.restarts,
        state: { running: { startedAt: r.startedAt } },
      })),
    };
    const ref = {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: this.pod.metadata.namespace ?? '',
      name: this.pod.metadata.name ?? '',
    };
    try {
      await this.ctx.kube.objects.patchStatus(ref, { status });
    } catch (err) {
      // A kubelet keeps trying: the API server may be restarting. A newer write supersedes this retry.
      this.ctx.log('Pod status not written, retrying', { pod: podName(this.pod), error: String(err) });
      const t = setTimeout(() => {
        this.timers.delete(t);
        void this.writeStatus();
      }, 1000);
      this.timers.add(t);
    }
  }
}

async function terminate(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (child?.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}
