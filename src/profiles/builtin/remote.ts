// A cluster whose workloads are served by an istiod running elsewhere (multicluster, external control plane).
// The pilot component stays enabled, but the values below turn it into injector webhook and reader RBAC only:
// no istiod Deployment, no mesh ConfigMap, no injector ConfigMap.
import { ClassicGateway } from '../classic-gateways.ts';
import type { ProfileDefinition } from '../profile.ts';

export const remoteProfile = {
  name: 'remote',
  description: 'Remote cluster of an external control plane: injection webhook and reader RBAC, no istiod',
  spec: {
    components: {
      base: { enabled: true },
      pilot: { enabled: true },
      ingressGateways: [{ name: ClassicGateway.Ingress, enabled: false }],
    },
    values: {
      profile: 'remote',
      istiodRemote: { enabled: true },
      // The istiod chart's top-level `configMap` switch, reached through values.pilot.
      pilot: { configMap: false },
      telemetry: { enabled: false },
      global: { omitSidecarInjectorConfigMap: true },
    },
  },
} as const satisfies ProfileDefinition;
