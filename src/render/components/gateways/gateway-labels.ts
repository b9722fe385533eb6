// The labels and annotations of a gateway's objects. The gateway's own label set (app, istio and the entry's
// `label`) is what its Deployment, Service and PDB select, so it is laid over everything else on the pods: a
// pod always matches its selectors. The rest say which component and revision an object belongs to, keep the
// injector and ambient away from the gateway's pods, and name the workload in telemetry.
import { readBool } from '../../values.ts';
import { revLabel } from '../../context.ts';
import type { GatewayModel } from './gateway-model.ts';
import { toStringMap } from './string-map.ts';
import type { StringMap } from './string-map.ts';

/** On every object of the gateway: its component and the control-plane revision it follows. */
export function componentLabels(model: GatewayModel): StringMap {
  return {
    'istio.io/rev': revLabel(model),
    'operator.istio.io/component': model.kind.operatorComponent,
    // The chart's name for the kind of workload, the same for every gateway of one direction.
    'app.kubernetes.io/name': model.kind.valuesKey,
    'app.kubernetes.io/part-of': 'istio',
  };
}

/** ServiceAccount, Service, HPA, PDB: the gateway's label set and its component labels. */
export function gatewayLabels(model: GatewayModel): StringMap {
  return { ...componentLabels(model), ...model.selector };
}

/** The gateway is a proxy itself; it must never be enrolled into ambient mode. */
const notInAmbient = { 'istio.io/dataplane-mode': 'none' } as const;
/** Nor get a sidecar injected. */
const notInjected = { 'sidecar.istio.io/inject': 'false' } as const;

export function deploymentLabels(model: GatewayModel): StringMap {
  return { ...componentLabels(model), ...notInAmbient, ...model.selector };
}

export function podLabels(model: GatewayModel): StringMap {
  return {
    ...componentLabels(model),
    ...notInAmbient,
    ...notInjected,
    'service.istio.io/canonical-name': model.name,
    'service.istio.io/canonical-revision': canonicalRevision(model),
    ...model.selector,
  };
}

/** A version label the user gave the gateway, else the control-plane revision, else `latest`. */
function canonicalRevision(model: GatewayModel): string {
  return model.selector['app.kubernetes.io/version'] ?? model.selector.version ?? model.revision ?? 'latest';
}

export function podAnnotations(model: GatewayModel): StringMap {
  // With Prometheus merge on, the agent serves Envoy's and its own metrics together on 15020.
  const scrape = readBool(model.meshConfig, 'enablePrometheusMerge', false)
    ? {
        'prometheus.io/port': '15020',
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': '/stats/prometheus',
      }
    : {};
  return {
    'istio.io/rev': revLabel(model),
    ...scrape,
    ...notInjected,
    ...toStringMap(model.gateway.podAnnotations),
  };
}
