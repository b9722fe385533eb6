// src/render/components/gateways: Istio's classic ingress and egress gateways, one Deployment-based Envoy
// per entry of `spec.components.ingressGateways[]` / `egressGateways[]`, rendered as Istio's gateway charts
// render them for the same values. The Gateway API's automated deployments are istiod's business, not ours.
import type { KubeObject } from '../../../kube/index.ts';
import type { RenderedComponent } from '../../component.ts';
import type { RenderContext } from '../../context.ts';
import { gatewayServiceAccount, gatewaySecretsRole } from './gateway-access.ts';
import { gatewayAutoscaler, gatewayDisruptionBudget } from './gateway-availability.ts';
import { gatewayDeployment } from './gateway-deployment.ts';
import { gatewayModel } from './gateway-model.ts';
import type { GatewayInput } from './gateway-model.ts';
import { gatewayNetworkPolicy } from './gateway-network-policy.ts';
import { gatewayService } from './gateway-service.ts';
import { proxyContainerName } from './proxy-container.ts';

export type { GatewayInput } from './gateway-model.ts';
export type { GatewayDirection } from './gateway-kind.ts';
export { caAddress } from './proxy-env.ts';

export function renderGateway(ctx: RenderContext, gateway: GatewayInput): RenderedComponent {
  const model = gatewayModel(ctx, gateway);
  const optional = [
    gatewayAutoscaler(model),
    gatewayDisruptionBudget(model),
    gatewayService(model),
    gatewayNetworkPolicy(model),
  ].filter((o): o is KubeObject => o !== undefined);
  return {
    name: model.kind.component,
    instance: gateway.name,
    revision: ctx.revision,
    objects: [
      gatewayServiceAccount(model),
      ...gatewaySecretsRole(model),
      gatewayDeployment(model),
      ...optional,
    ],
    workload: {
      kind: 'Deployment',
      name: gateway.name,
      namespace: gateway.namespace,
      container: proxyContainerName,
    },
  };
}
