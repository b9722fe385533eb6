// Fields that another controller takes over after we create an object: we render a safe first value, and from
// then on the live value is kept, so our apply never fights the other writer. The one case today: istiod flips
// its validating webhooks' failurePolicy from Ignore to Fail once its certificate is in place.
import type { KubeObject } from '../kube/index.ts';

interface Webhook {
  name?: string;
  failurePolicy?: string;
}

function keepFailurePolicy(desired: KubeObject, live: KubeObject): KubeObject {
  const liveHooks = (live.webhooks ?? []) as Webhook[];
  const hooks = ((desired.webhooks ?? []) as Webhook[]).map((hook) => {
    const current = liveHooks.find((h) => h.name === hook.name)?.failurePolicy;
    return current === undefined ? hook : { ...hook, failurePolicy: current };
  });
  return { ...desired, webhooks: hooks };
}

/** `desired` with the values other controllers own taken from `live` (when it exists). */
export function withLiveOwnedFields(desired: KubeObject, live: KubeObject | undefined): KubeObject {
  if (!live) return desired;
  if (desired.kind === 'ValidatingWebhookConfiguration') return keepFailurePolicy(desired, live);
  return desired;
}
