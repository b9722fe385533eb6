// src/runtime: a controller runtime that knows nothing of Istio: supervised informers, a work queue of keys,
// controllers, leader election, the health/metrics server and JSON logs, started in order by the Manager.
export { FakeClock, realClock } from './clock.ts';
export type { Cancel, Clock } from './clock.ts';
export { CachedObjectClient } from './cached-client.ts';
export type { CacheSource } from './cached-client.ts';
export { Controller } from './controller.ts';
export type { ControllerOptions, Reconcile, ReconcileOutcome } from './controller.ts';
export { HealthServer } from './health-server.ts';
export type { Check, HealthServerOptions } from './health-server.ts';
export { IdleMemoryReclaimer, lastResortCollection } from './idle-memory.ts';
export type { IdleMemoryOptions } from './idle-memory.ts';
export { Informer } from './informer.ts';
export type { InformerOptions } from './informer.ts';
export { LeaderElector, LeadershipEnd } from './leader-election.ts';
export type { Elector, LeaderElectionConfig, LeaseClient } from './leader-election.ts';
export { LogLevel, createLogger, describeError, silentLogger } from './logger.ts';
export type { LogFields, Logger, LoggerOptions } from './logger.ts';
export { LeaderElectionLostError, Manager } from './manager.ts';
export type { BindAddress, ManagerOptions, Runnable } from './manager.ts';
export { ReconcileResult, RuntimeMetrics, createMetrics } from './metrics.ts';
export { byObjectKey, objectKey } from './object-store.ts';
export type { IndexFunction, ReadonlyObjectStore } from './object-store.ts';
export { WorkQueue } from './work-queue.ts';
