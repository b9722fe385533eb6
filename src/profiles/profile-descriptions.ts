// What each profile is for, in a line, for `meshop profile list`. Our words; what a profile installs is read from
// the release's own profile files.

export const profileDescriptions: Readonly<Record<string, string>> = {
  default: 'Production starting point: istiod and an ingress gateway',
  demo: 'Showcase: adds an egress gateway, access logs, tracing providers and tiny requests; not for production',
  minimal: 'The control plane only: istiod, no gateways',
  empty: 'Nothing enabled; the spec turns on exactly what it lists',
  remote: 'Remote cluster of an external control plane: injection webhook and reader RBAC, no istiod',
  preview: 'Default plus preview features',
  stable: 'Default plus an admission policy that admits only stable Istio config fields',
  ambient: 'Ambient data plane: istiod, the CNI node agent and ztunnel; no ingress gateway',
  openshift: 'Default for OpenShift: adds the CNI node agent, set up for Multus',
  'openshift-ambient': 'Ambient for OpenShift: CNI node agent and ztunnel, set up for Multus',
};
