// src/operator: the operator process (manager + MeshConfig controller), for main.ts and in-process tests.
export { parseBindAddress } from './bind-address.ts';
export { createOperator, defaultClientRateLimit } from './operator.ts';
export type { OperatorOptions } from './operator.ts';
