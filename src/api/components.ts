// `spec.components`: which parts of Istio are installed and how, field for field as in IstioOperator, so an
// existing IstioOperator `components` block is accepted unchanged.
import { kubernetesResourcesSchema } from './kubernetes-resources.ts';
import { dnsLabel, dnsLabelMaxLength, imageTag } from './names.ts';
import * as s from './schema/index.ts';

const enabled = s.boolean('Whether the component is installed. Unset: installed when the entry is present.');
const namespace = s.string('Namespace of the component. Unset: the control-plane namespace.', {
  maxLength: dnsLabelMaxLength,
  rules: [dnsLabel],
});
const hub = s.string('Image registry for this component, overriding spec.hub.', { maxLength: 255 });
const tag = s.intOrString('Image tag for this component, overriding spec.tag.', { rules: [imageTag] });

export const baseComponentSchema = s.object(
  'The cluster-wide base: Istio CRDs and the reader service account.',
  {
    enabled,
    k8s: kubernetesResourcesSchema,
  },
);

function componentSchema(description: string) {
  return s.object(description, { enabled, namespace, hub, tag, k8s: kubernetesResourcesSchema });
}

const gatewaySchema = s.object(
  'A gateway deployment: its own Deployment, Service, service account and autoscaler.',
  {
    name: s.string('Name of the gateway and of its Deployment and Service; unique within its list.', {
      maxLength: dnsLabelMaxLength,
      rules: [dnsLabel],
    }),
    enabled,
    namespace,
    label: s.map('Labels for the gateway pods and the Service selector.', s.string('Label value.')),
    hub,
    tag,
    k8s: kubernetesResourcesSchema,
  },
  { required: ['name'] },
);

// A gateway's objects take its name, so two entries with one name would render the same objects twice.
const uniqueGatewayNames: s.Invariant<{ name: string }[]> = {
  rule: 'self.all(g, self.exists_one(h, h.name == g.name))',
  message: 'gateway names must be unique within the list',
  check: (gateways, path) =>
    gateways.flatMap((gateway, i) =>
      gateways.findIndex((other) => other.name === gateway.name) < i
        ? [s.validationError(`${path}[${i}].name`, `duplicate gateway "${gateway.name}"`)]
        : [],
    ),
};

// Bounds the CEL cost of the uniqueness rule; far beyond any real mesh.
const maxGateways = 32;

function gatewayList(description: string) {
  return s.list(description, gatewaySchema, { maxItems: maxGateways, rules: [uniqueGatewayNames] });
}

export const componentsSchema = s.object('The Istio components to install and their settings.', {
  base: baseComponentSchema,
  pilot: componentSchema('istiod, the control plane (one per revision).'),
  cni: componentSchema('The Istio CNI node agent (DaemonSet istio-cni-node); required for ambient mode.'),
  ztunnel: componentSchema('The ambient-mode node proxy (DaemonSet ztunnel).'),
  ingressGateways: gatewayList('Ingress gateways. Replaces the profile list as a whole.'),
  egressGateways: gatewayList('Egress gateways. Replaces the profile list as a whole.'),
  istiodRemote: componentSchema(
    'Accepted so IstioOperator specs paste unchanged; current Istio installers ignore it ' +
      '(remote clusters use the remote profile).',
  ),
  gateway: componentSchema(
    'Accepted so IstioOperator specs paste unchanged; current Istio installers ignore it.',
  ),
});
