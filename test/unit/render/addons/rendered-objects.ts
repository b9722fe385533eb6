// Typed reads of rendered addon objects, so each test states the fact it checks and not how to dig for it.
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { KubeObject } from '../../../../src/kube/index.ts';
import type { RenderedComponent } from '../../../../src/render/component.ts';

export interface Port {
  name: string;
  port: number;
  targetPort: number;
}

export interface Container {
  name: string;
  image: string;
  args?: string[];
}

/** `Kind/name` of every object, sorted. */
export function kindNames(component: RenderedComponent): string[] {
  return component.objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`).sort();
}

export function find(component: RenderedComponent, kind: string, name: string): KubeObject {
  const found = component.objects.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(found, `${kind} ${name} is rendered`);
  return found;
}

/** `name:port->targetPort` for each port of the Service. */
export function servicePorts(component: RenderedComponent, name: string): string[] {
  const spec = find(component, 'Service', name).spec as { ports: Port[] };
  return spec.ports.map((p) => `${p.name}:${p.port}->${p.targetPort}`);
}

export function containers(component: RenderedComponent, name: string): Container[] {
  const spec = find(component, 'Deployment', name).spec as {
    template: { spec: { containers: Container[] } };
  };
  return spec.template.spec.containers;
}

/** The data key of a ConfigMap, parsed as YAML. */
export function configYaml(component: RenderedComponent, name: string, key: string): unknown {
  const data = find(component, 'ConfigMap', name).data as Record<string, string>;
  const text = data[key];
  assert.ok(text !== undefined, `ConfigMap ${name} has key ${key}`);
  return parse(text);
}

/** Fully qualified (a registry host before the first slash) and pinned to a tag other than `latest`. */
export function assertPinnedImage(image: string): void {
  assert.match(image, /^[a-z0-9.-]+\.[a-z]+\/[a-z0-9._/-]+:[A-Za-z0-9._-]+$/, image);
  assert.doesNotMatch(image, /:latest$/, image);
}
