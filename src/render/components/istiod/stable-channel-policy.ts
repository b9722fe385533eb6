// The `stable` profile's admission policy (values.experimental.stableValidationPolicy): refuses Istio config
// that uses APIs or fields outside Istio's stable feature set, for the config objects of this revision. Enforced
// by the API server itself (ValidatingAdmissionPolicy), so it holds even while istiod is down.
import type { KubeObject } from '../../../kube/index.ts';
import type { RenderContext } from '../../context.ts';
import { revisioned, revLabel } from '../../context.ts';
import { readBool } from '../../values.ts';

const api = 'admissionregistration.k8s.io/v1';

/** What the stable channel leaves out: three whole kinds and a few Telemetry and AuthorizationPolicy fields. */
const validations = [
  "object.kind != 'EnvoyFilter'",
  "object.kind != 'WasmPlugin'",
  "object.kind != 'ProxyConfig'",
  "object.kind != 'Telemetry' || !(" +
    '(has(object.spec.tracing) && object.spec.tracing.exists(t, has(t.useRequestIdForTraceSampling))) || ' +
    '(has(object.spec.metrics) && object.spec.metrics.exists(m, has(m.reportingInterval))) || ' +
    '(has(object.spec.accessLogging) && object.spec.accessLogging.exists(l, has(l.filter))))',
  "object.kind != 'AuthorizationPolicy' || !has(object.spec.rules) || !object.spec.rules.exists(r, " +
    'has(r.from) && r.from.exists(f, has(f.source) && ' +
    '(has(f.source.trustDomains) || has(f.source.notTrustDomains))))',
].map((expression) => ({ expression }));

export function stableChannelPolicy(ctx: RenderContext): KubeObject[] {
  if (!readBool(ctx.values, 'experimental.stableValidationPolicy', false)) return [];
  const name = `${revisioned(ctx, 'stable-channel-policy')}-${ctx.namespace}.istio.io`;
  const bindingName = `${revisioned(ctx, 'stable-channel-policy-binding')}-${ctx.namespace}.istio.io`;
  return [
    {
      apiVersion: api,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name, labels: { 'app.kubernetes.io/name': 'istiod' } },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            {
              apiGroups: [
                'security.istio.io',
                'networking.istio.io',
                'telemetry.istio.io',
                'extensions.istio.io',
              ],
              apiVersions: ['*'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['*'],
            },
          ],
          objectSelector: {
            matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [revLabel(ctx)] }],
          },
        },
        validations,
      },
    },
    {
      apiVersion: api,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: bindingName },
      spec: { policyName: name, validationActions: ['Deny'] },
    },
  ];
}
