// An ObjectClient that counts the write requests going through it, for "a converged mesh costs zero writes".
// It wraps the real client (requests still reach the real API server); it only keeps a tally.
import type { ObjectClient } from '../../src/kube/index.ts';

const writeMethods = new Set(['create', 'replace', 'apply', 'delete', 'patchStatus', 'mergePatch']);

export interface CountingClient {
  client: ObjectClient;
  writes: string[];
}

export function countingClient(inner: ObjectClient): CountingClient {
  const writes: string[] = [];
  const client = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !writeMethods.has(prop) || typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const first = args[0] as { kind?: string; name?: string; metadata?: { name?: string } } | undefined;
        writes.push(`${prop} ${first?.kind ?? ''}/${first?.name ?? first?.metadata?.name ?? ''}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { client, writes };
}
