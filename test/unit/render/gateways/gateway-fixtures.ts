// Rendering one gateway for a MeshConfig spec (with the real release data and profile layering), and typed reads
// of what came out, so each test states the fact it checks instead of how to dig for it.
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/kube/index.ts';
import type { RenderedComponent } from '../../../../src/render/component.ts';
import { renderGateway } from '../../../../src/render/components/gateways/index.ts';
import type { GatewayInput } from '../../../../src/render/components/gateways/index.ts';
import type { ReadonlyJsonObject } from '../../../../src/tree/index.ts';
import { contextFor } from '../../../support/render-fixtures.ts';

export type Labels = Record<string, string>;

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface Container {
  name: string;
  image: string;
  args: string[];
  env: EnvVar[];
  ports: { containerPort: number; protocol: string; name?: string }[];
  readinessProbe: { httpGet: { path: string; port: number } };
  resources: { requests?: Labels; limits?: Labels };
  securityContext?: unknown;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Volume {
  name: string;
  configMap?: { name: string; optional?: boolean };
  secret?: { secretName: string };
  emptyDir?: object;
  projected?: { sources: { serviceAccountToken?: { audience: string; path: string } }[] };
  downwardAPI?: object;
}

export interface Deployment {
  metadata: { name: string; namespace: string; labels: Labels };
  spec: {
    replicas?: number;
    selector: { matchLabels: Labels };
    template: {
      metadata: { labels: Labels; annotations: Labels };
      spec: {
        serviceAccountName: string;
        securityContext?: Record<string, unknown>;
        containers: Container[];
        volumes: Volume[];
        affinity?: { nodeAffinity?: unknown; podAntiAffinity?: unknown };
        tolerations?: unknown[];
      };
    };
  };
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort?: number;
  protocol?: string;
}

export interface Service {
  metadata: { labels: Labels; annotations?: Labels };
  spec: { type: string; selector: Labels; ports: ServicePort[]; externalTrafficPolicy?: string };
}

/** The gateway `overrides` describes (default: the ingress gateway of the control-plane namespace) for `spec`. */
export function renderFor(
  spec: ReadonlyJsonObject = {},
  overrides: Partial<GatewayInput> = {},
): RenderedComponent {
  const ctx = contextFor(spec);
  const kind = overrides.kind ?? 'ingress';
  const name = overrides.name ?? `istio-${kind}gateway`;
  return renderGateway(ctx, { kind, name, namespace: ctx.namespace, ...overrides });
}

/** `Kind/namespace/name` of every object, sorted. */
export function inventory(component: RenderedComponent): string[] {
  return component.objects
    .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`)
    .sort();
}

export function find(component: RenderedComponent, kind: string, name = component.instance): KubeObject {
  const found = component.objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind} ${name ?? ''} is rendered`);
  return found;
}

export function has(component: RenderedComponent, kind: string): boolean {
  return component.objects.some((o) => o.kind === kind);
}

export function deploymentOf(component: RenderedComponent): Deployment {
  return find(component, 'Deployment') as unknown as Deployment;
}

export function serviceOf(component: RenderedComponent): Service {
  return find(component, 'Service') as unknown as Service;
}

export function proxyOf(component: RenderedComponent): Container {
  const proxy = deploymentOf(component).spec.template.spec.containers.find((c) => c.name === 'istio-proxy');
  assert.ok(proxy, 'the istio-proxy container is rendered');
  return proxy;
}

/** The literal value of an env variable of the proxy; undefined when it is absent or comes from a reference. */
export function envValue(component: RenderedComponent, name: string): string | undefined {
  return proxyOf(component).env.find((e) => e.name === name)?.value;
}

export function volume(component: RenderedComponent, name: string): Volume {
  const found = deploymentOf(component).spec.template.spec.volumes.find((v) => v.name === name);
  assert.ok(found, `volume ${name} is rendered`);
  return found;
}

/** `name:port->targetPort` for each port of the gateway's Service. */
export function servicePorts(component: RenderedComponent): string[] {
  return serviceOf(component).spec.ports.map((p) => `${p.name}:${p.port}->${p.targetPort ?? p.port}`);
}

/** Whether every entry of `subset` is in `labels`. */
export function includesLabels(labels: Labels, subset: Labels): boolean {
  return Object.entries(subset).every(([k, v]) => labels[k] === v);
}
