// What kube-proxy would do for the runner's pods: each Service port whose selector matches a pod the runner runs
// as a process gets a TCP listener on the Service's ClusterIP (a loopback address here), forwarding to a ready
// pod's own address. So the API server reaches istiod's webhooks through the Services meshop rendered.
import net from 'node:net';
import type { KubeObject } from '../../../src/kube/index.ts';
import type { PodWorker } from './pod-worker.ts';
import { portNumber } from './readiness.ts';

interface ServicePort {
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

export interface ServiceView extends KubeObject {
  spec?: { clusterIP?: string; selector?: Record<string, string>; ports?: ServicePort[] };
}

interface Route {
  namespace: string;
  selector: Record<string, string>;
  targetPort: number | string;
}

const matches = (labels: Record<string, string> | undefined, selector: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** A Service that selects at least one process-run pod: its ClusterIP, namespace and selector. */
function forwardedService(
  svc: ServiceView,
  workers: readonly PodWorker[],
): { ip: string; namespace: string; selector: Record<string, string> } | undefined {
  const ip = svc.spec?.clusterIP;
  const selector = svc.spec?.selector ?? {};
  const namespace = svc.metadata.namespace ?? '';
  if (!ip?.startsWith('127.') || Object.keys(selector).length === 0) return undefined;
  const selects = workers.some(
    (w) =>
      w.runsProcess && w.pod.metadata.namespace === namespace && matches(w.pod.metadata.labels, selector),
  );
  return selects ? { ip, namespace, selector } : undefined;
}

/** ClusterIP:port → where it goes, for the Services that select at least one process-run pod. */
export function routesFor(
  services: readonly ServiceView[],
  workers: readonly PodWorker[],
): Map<string, Route> {
  const routes = new Map<string, Route>();
  for (const svc of services) {
    const found = forwardedService(svc, workers);
    if (!found) continue;
    for (const p of svc.spec?.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP') continue;
      const route = {
        namespace: found.namespace,
        selector: found.selector,
        targetPort: p.targetPort ?? p.port,
      };
      routes.set(`${found.ip}:${String(p.port)}`, route);
    }
  }
  return routes;
}

export class ServiceForwarder {
  private readonly listeners = new Map<string, { server: net.Server; route: Route }>();
  private readonly workers: () => readonly PodWorker[];
  private readonly log: (message: string, fields?: Record<string, unknown>) => void;

  constructor(workers: () => readonly PodWorker[], log: ServiceForwarder['log']) {
    this.workers = workers;
    this.log = log;
  }

  /** Opens listeners for new routes, closes those no longer wanted, and updates the rest in place. */
  sync(routes: Map<string, Route>): void {
    for (const [key, entry] of this.listeners) {
      if (!routes.has(key)) {
        entry.server.close();
        this.listeners.delete(key);
      }
    }
    for (const [key, route] of routes) {
      const existing = this.listeners.get(key);
      if (existing) existing.route = route;
      else this.listen(key, route);
    }
  }

  close(): void {
    for (const { server } of this.listeners.values()) server.close();
    this.listeners.clear();
  }

  private listen(key: string, route: Route): void {
    const [host = '', port = ''] = key.split(':');
    const entry = {
      server: net.createServer((c) => {
        this.forward(c, entry.route);
      }),
      route,
    };
    entry.server.on('error', (err) => {
      this.log('Service listener failed', { address: key, error: String(err) });
    });
    entry.server.listen({ host, port: Number(port) });
    this.listeners.set(key, entry);
  }

  private forward(client: net.Socket, route: Route): void {
    const target = this.workers().find(
      (w) =>
        w.runsProcess &&
        w.ready &&
        w.pod.metadata.namespace === route.namespace &&
        matches(w.pod.metadata.labels, route.selector),
    );
    const container = target?.pod.spec.containers[0];
    if (!target || !container) {
      client.destroy();
      return;
    }
    const port = portNumber(container, route.targetPort);
    const upstream = net.connect({ host: target.facts.podIP, port });
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  }
}
