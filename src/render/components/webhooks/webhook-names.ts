// Names of the cluster-scoped webhook configurations. They carry the control-plane namespace unless it is
// istio-system, so control planes in different namespaces never collide.
import type { RenderContext } from '../../context.ts';
import { revisioned } from '../../context.ts';

const defaultNamespace = 'istio-system';

/** `istio-sidecar-injector[-<rev>][-<ns>]`, or `istio-revision-tag-<tag>[-<ns>]` for a revision tag. */
export function injectorName(ctx: RenderContext, tag: string | undefined): string {
  const base = tag === undefined ? revisioned(ctx, 'istio-sidecar-injector') : `istio-revision-tag-${tag}`;
  return ctx.namespace === defaultNamespace ? base : `${base}-${ctx.namespace}`;
}

/** `istio-validator[-<rev>]-<ns>`: here the namespace is always part of the name. */
export function validatorName(ctx: RenderContext): string {
  return `${revisioned(ctx, 'istio-validator')}-${ctx.namespace}`;
}

/** The one cluster-wide validator of config that names no revision; whichever revision is default owns it. */
export const defaultValidatorName = 'istiod-default-validator';
