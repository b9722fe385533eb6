// The process's shared chart engine, on a thread of its own. An operator renders when a spec changes and then,
// converged, only reads its render cache for hours; the engine's compiled code and memory (well over 100 MB with
// Istio's charts, measured in the README) would sit idle all that time, and dropping a reference frees nothing
// until a garbage collection that an idle process may never run. A worker thread is let go with all of it, at once,
// by terminating it: after 60 s unused the thread ends, and the next render starts another (about 0.2 s, and a
// slower first render). Renders stay synchronous, as the renderer is: the caller posts the encoded request and
// waits on a shared flag (Atomics.wait) until the thread has posted the answer.
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { engineOf } from './engine.ts';
import type { ChartEngine } from './engine.ts';
import type { EngineReply, EngineThreadData } from './engine-thread-protocol.ts';

// The sources run engine-worker.ts; the bundle (hack/bundle.ts) ships it as an entry of its own beside its chunks.
const workerFile = import.meta.url.endsWith('.ts')
  ? new URL('./engine-worker.ts', import.meta.url)
  : new URL('./chart-engine-worker.js', import.meta.url);

/** Longer than any render takes (the base chart, the slowest, takes seconds): past it the thread is let go. */
const answerWithinMs = 300_000;

/** How long the thread is kept without a render, unless a test changes it. */
export const defaultChartEngineIdleReleaseMs = 60_000;

let idleReleaseMs = defaultChartEngineIdleReleaseMs;

/** Changes how long an unused engine thread is kept (tests); 0 keeps it for the life of the process. */
export function setChartEngineIdleRelease(ms: number): void {
  idleReleaseMs = ms;
}

class EngineThread {
  readonly wasmPath: string;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private release: NodeJS.Timeout | undefined;

  /** Starts the thread and waits until its engine is loaded; throws what loading threw (with its code). */
  constructor(wasmPath: string) {
    this.wasmPath = wasmPath;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: EngineThreadData = { wasmPath, port: port2, signal: this.signal };
    this.worker = new Worker(workerFile, { workerData: data, transferList: [port2] });
    // Neither keeps a CLI process alive.
    this.worker.unref();
    this.port.unref();
    const first = this.answer('load chart engine');
    if (first.kind === 'load-failed') {
      this.stop();
      throw Object.assign(new Error(first.message), first.code === undefined ? {} : { code: first.code });
    }
  }

  /** Sends one encoded request and waits for the encoded response. */
  renderBytes(input: Uint8Array): Uint8Array {
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(input);
    const reply = this.answer('render chart');
    if (reply.kind === 'rendered') return reply.output;
    throw new Error(reply.kind === 'failed' ? reply.message : `chart engine: unexpected ${reply.kind}`);
  }

  /** Ends the thread, and the process's sharing of it: the next render starts another. */
  stop(): void {
    clearTimeout(this.release);
    this.port.close();
    if (threads.get(this.wasmPath) === this) threads.delete(this.wasmPath);
    void this.worker.terminate().then(() => {
      for (const listener of stoppedListeners) listener();
    });
  }

  /** Ends the thread once it has been unused for idleReleaseMs (from now). */
  releaseWhenIdle(): void {
    clearTimeout(this.release);
    if (idleReleaseMs <= 0) return;
    this.release = setTimeout(() => {
      this.stop();
    }, idleReleaseMs);
    this.release.unref();
  }

  private answer(what: string): EngineReply {
    const deadline = Date.now() + answerWithinMs;
    for (;;) {
      const received = receiveMessageOnPort(this.port) as { message: EngineReply } | undefined;
      if (received !== undefined) return received.message;
      // The thread may have died without an answer (out of memory): a bounded wait finds that out.
      if (Date.now() > deadline) throw new Error(`${what}: the chart engine thread did not answer`);
      Atomics.wait(this.signal, 0, 0, 1_000);
      Atomics.store(this.signal, 0, 0);
    }
  }
}

const threads = new Map<string, EngineThread>();
const stoppedListeners = new Set<() => void>();

/**
 * Calls `listener` each time an engine thread has ended. Its memory then sits in V8's page pool, resident, until
 * a memory-reducing collection hands it back (the operator's idle reclaimer, ADR 0026). Returns the unsubscribe.
 */
export function onChartEngineStopped(listener: () => void): () => void {
  stoppedListeners.add(listener);
  return () => {
    stoppedListeners.delete(listener);
  };
}

/** How many engine threads run now: each holds its engine's compiled code and memory. */
export function loadedChartEngines(): number {
  return threads.size;
}

function threadFor(wasmPath: string): EngineThread {
  let thread = threads.get(wasmPath);
  if (thread === undefined) {
    thread = new EngineThread(wasmPath);
    threads.set(wasmPath, thread);
  }
  return thread;
}

/**
 * The engine at `wasmPath`, shared by every caller in the process: started on first use (so a missing or broken
 * file is the caller's error at once), let go when idle, started again by the next render. The handle holds no
 * thread. After a fatal error (the Go runtime trapped) the thread is let go at once and the next render gets a
 * fresh one.
 */
export function chartEngineAt(wasmPath: string): ChartEngine {
  threadFor(wasmPath).releaseWhenIdle();
  return engineOf({
    renderBytes: (input) => {
      const thread = threadFor(wasmPath);
      try {
        const output = thread.renderBytes(input);
        thread.releaseWhenIdle();
        return output;
      } catch (err) {
        thread.stop();
        throw err;
      }
    },
  });
}
