// Where the API server sends admission reviews: istiod's Service in the control-plane namespace, or a URL when
// istiod runs outside the cluster. A caBundle is written only when the user supplies one: otherwise istiod
// patches its own CA in at run time, and a rendered (empty) caBundle would make every apply fight it.
import type { RenderContext } from '../../context.ts';
import { revisioned } from '../../context.ts';

export interface ServiceReference {
  name: string;
  namespace: string;
  path: string;
  port?: number;
}

export interface ClientConfig {
  url?: string;
  service?: ServiceReference;
  caBundle?: string;
}

/** istiod's HTTPS port on its Service (it forwards to the webhook server on 15017). */
export const istiodWebhookPort = 443;

export interface Endpoint {
  /** A URL outside the cluster; wins over the Service when set. */
  url: string;
  path: string;
  caBundle: string;
  /** The Service port, when Istio names one (the validator leaves it to the API server's default, 443). */
  port?: number;
}

/** The client config of a webhook served by the context's own istiod (`istiod[-<revision>]`). */
export function clientConfig(ctx: RenderContext, endpoint: Endpoint): ClientConfig {
  const target: ClientConfig = endpoint.url
    ? { url: endpoint.url }
    : { service: istiodService(ctx, endpoint) };
  return endpoint.caBundle ? { ...target, caBundle: endpoint.caBundle } : target;
}

function istiodService(ctx: RenderContext, endpoint: Endpoint): ServiceReference {
  const ref: ServiceReference = {
    name: revisioned(ctx, 'istiod'),
    namespace: ctx.namespace,
    path: endpoint.path,
  };
  return endpoint.port === undefined ? ref : { ...ref, port: endpoint.port };
}
