// Zipkin, the alternative to Jaeger: one in-memory server that both receives spans and serves the UI on 9411.
// It claims the same Service names as Jaeger (`tracing`, `zipkin`), so proxies and users find whichever tracer
// runs; the two are meant to be enabled one at a time.
import type { KubeObject } from '../../../objects/index.ts';
import type { RenderedComponent } from '../../component.ts';
import { ComponentName } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { addonImages } from './addon-images.ts';
import type { AddonMeta, Labels } from './addon-objects.ts';
import { clusterIpService, containerPort, deployment, httpProbe, noInjection } from './addon-objects.ts';

const name = 'zipkin';
const port = 9411;
const labels: Labels = { app: name };
const selector: Labels = { app: name };

function zipkinContainer(): Record<string, unknown> {
  return {
    name,
    image: addonImages.zipkin,
    env: [{ name: 'STORAGE_METHOD', value: 'mem' }],
    ports: [containerPort('http-query', port)],
    readinessProbe: httpProbe('/health', port, { initialDelaySeconds: 5, periodSeconds: 5 }),
  };
}

function zipkinDeployment(meta: AddonMeta): KubeObject {
  return deployment(meta, selector, {
    labels: { ...labels, ...noInjection },
    spec: { containers: [zipkinContainer()] },
  });
}

export function renderZipkin(ctx: RenderContext): RenderedComponent {
  const meta: AddonMeta = { name, namespace: ctx.namespace, labels };
  const tracing: AddonMeta = { ...meta, name: 'tracing' };
  const objects: KubeObject[] = [
    zipkinDeployment(meta),
    clusterIpService(tracing, selector, [{ name: 'http-query', port: 80, targetPort: port }]),
    clusterIpService({ ...meta, labels: { ...labels, name } }, selector, [{ name: 'http-query', port }]),
  ];
  return {
    name: ComponentName.Zipkin,
    objects,
    workload: { kind: 'Deployment', name, namespace: ctx.namespace, container: name },
  };
}
