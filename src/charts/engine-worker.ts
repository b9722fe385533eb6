// The engine thread's entry (engine-thread.ts starts it): loads the engine, then answers each encoded request on
// its port with the encoded response. Every answer is posted first and then signalled through the shared flag, on
// which the requesting thread waits synchronously: rendering is a synchronous function in the renderer.
import { workerData } from 'node:worker_threads';
import { loadEngineCoreSync } from './engine.ts';
import type { EngineCore } from './engine.ts';
import type { EngineReply, EngineThreadData } from './engine-thread-protocol.ts';

const { wasmPath, port, signal } = workerData as EngineThreadData;

function reply(message: EngineReply): void {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

let core: EngineCore | undefined;
try {
  core = loadEngineCoreSync(wasmPath);
  reply({ kind: 'ready' });
} catch (err) {
  reply({ kind: 'load-failed', message: messageOf(err), code: (err as NodeJS.ErrnoException).code });
}

port.on('message', (input: Uint8Array) => {
  if (core === undefined) return;
  try {
    reply({ kind: 'rendered', output: core.renderBytes(input) });
  } catch (err) {
    reply({ kind: 'failed', message: messageOf(err) });
  }
});
