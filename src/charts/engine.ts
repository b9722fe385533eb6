// Loads the Go chart engine (WebAssembly, built by hack/build-engine.sh) once and renders charts with it. One
// instance serves every render: the Go runtime starts once, and each render is a call into an exported
// function, with the request and response passed as JSON through buffers in the engine's memory.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { decodeResponse, encodeRequest } from './protocol.ts';
import type { RenderRequest, RenderResult } from './protocol.ts';
import { createWasiShim, WasiExit } from './wasi-shim.ts';
import type { WasiShim } from './wasi-shim.ts';
import {
  compileWasm,
  compileWasmSync,
  instantiateWasm,
  instantiateWasmSync,
  isWasmMemory,
} from './webassembly.ts';
import type { WasmInstance, WasmMemory, WasmModule } from './webassembly.ts';

export interface ChartEngine {
  /** Renders one chart. Throws an Error naming the chart, template and line when the chart fails. */
  render(request: RenderRequest): RenderResult;
}

interface EngineExports {
  readonly memory: WasmMemory;
  readonly _initialize: () => void;
  readonly buffer_alloc: (size: number) => number;
  readonly buffer_free: (ptr: number) => void;
  readonly render: (ptr: number, size: number) => bigint;
}

/** Reads, compiles and starts the engine at `wasmPath`. */
export async function loadChartEngine(wasmPath: string): Promise<ChartEngine> {
  const module = await compileWasm(await readFile(wasmPath));
  return startChartEngine(module);
}

/** Starts an engine from an already compiled module (compiling is the expensive part; a module can be shared). */
export async function startChartEngine(module: WasmModule): Promise<ChartEngine> {
  const wasi = createWasiShim();
  return engineOf(wasi, await instantiateWasm(module, wasi.importsFor(module)));
}

/** An engine chartEngineAt loaded, and the timer that lets it go when it has sat unused. */
interface Loaded {
  engine: ChartEngine;
  release?: NodeJS.Timeout;
}

const loadedSync = new Map<string, Loaded>();

/**
 * An operator renders when a spec changes and then, converged, only reads its render cache for hours: the
 * engine's memory and compiled code (about 250 MB with Istio's charts) would sit idle all that time. Unused this
 * long, an engine is let go and collected; the next render loads it again (about 0.2 s, and a slower first render).
 */
let idleReleaseMs = 60_000;

/** Changes how long an unused engine is kept (tests); 0 keeps engines for the life of the process. */
export function setChartEngineIdleRelease(ms: number): void {
  idleReleaseMs = ms;
}

/** How many engines chartEngineAt holds now: each is hundreds of megabytes. */
export function loadedChartEngines(): number {
  return loadedSync.size;
}

function loadSync(wasmPath: string): Loaded {
  let loaded = loadedSync.get(wasmPath);
  if (loaded === undefined) {
    const module = compileWasmSync(readFileSync(wasmPath));
    const wasi = createWasiShim();
    loaded = { engine: engineOf(wasi, instantiateWasmSync(module, wasi.importsFor(module))) };
    loadedSync.set(wasmPath, loaded);
  }
  return loaded;
}

function releaseWhenIdle(wasmPath: string, loaded: Loaded): void {
  clearTimeout(loaded.release);
  if (idleReleaseMs <= 0) return;
  loaded.release = setTimeout(() => {
    if (loadedSync.get(wasmPath) === loaded) loadedSync.delete(wasmPath);
  }, idleReleaseMs);
  // A pending release must not keep a CLI process alive.
  loaded.release.unref();
}

/**
 * The engine at `wasmPath`, read, compiled and started synchronously on first use and shared by every caller in
 * the process afterwards (the engine keeps no state between renders). The handle holds no engine itself: one let
 * go while idle is loaded again by the next render.
 */
export function chartEngineAt(wasmPath: string): ChartEngine {
  // Loaded now, so a missing or broken file is the caller's error at once, not at its first render.
  releaseWhenIdle(wasmPath, loadSync(wasmPath));
  return {
    render: (request) => {
      const loaded = loadSync(wasmPath);
      try {
        return loaded.engine.render(request);
      } finally {
        releaseWhenIdle(wasmPath, loaded);
      }
    },
  };
}

function engineOf(wasi: WasiShim, instance: WasmInstance): ChartEngine {
  const exports = checkExports(instance.exports);
  wasi.bind(exports.memory);
  guard(wasi, 'start chart engine', () => {
    exports._initialize();
  });
  let broken: Error | undefined;
  return {
    render: (request) => {
      // After a fatal error the Go runtime's state is unknown: refuse rather than render wrongly.
      if (broken !== undefined)
        throw new Error('chart engine unusable after an earlier failure', { cause: broken });
      try {
        return guard(wasi, 'render chart', () => call(exports, request));
      } catch (err) {
        if (!(err instanceof ChartRenderError)) broken = err instanceof Error ? err : new Error(String(err));
        throw err;
      }
    },
  };
}

/** A chart's own failure (bad template, `fail`, missing required value); the engine stays usable. */
export class ChartRenderError extends Error {}

function call(exports: EngineExports, request: RenderRequest): RenderResult {
  const input = encodeRequest(request);
  const inPtr = exports.buffer_alloc(input.length);
  new Uint8Array(exports.memory.buffer, inPtr, input.length).set(input);
  const packed = exports.render(inPtr, input.length);
  exports.buffer_free(inPtr);
  const outPtr = Number(packed >> 32n);
  const outLen = Number(packed & 0xffffffffn);
  // Copy out before freeing: the engine may reuse or grow its memory on the next call.
  const output = new Uint8Array(exports.memory.buffer, outPtr, outLen).slice();
  exports.buffer_free(outPtr);
  try {
    return decodeResponse(output, 'render chart');
  } catch (err) {
    throw new ChartRenderError(err instanceof Error ? err.message : String(err));
  }
}

// Turns a trap or exit of the Go runtime into an Error carrying what the runtime printed before dying.
function guard<T>(wasi: WasiShim, what: string, fn: () => T): T {
  try {
    const result = fn();
    wasi.takeOutput();
    return result;
  } catch (err) {
    if (err instanceof ChartRenderError) throw err;
    const printed = wasi.takeOutput().trim();
    const reason = err instanceof WasiExit ? err.message : 'chart engine crashed';
    throw new Error(`${what}: ${reason}${printed === '' ? '' : `: ${printed}`}`, { cause: err });
  }
}

function checkExports(exports: Record<string, unknown>): EngineExports {
  const { memory, _initialize, buffer_alloc, buffer_free, render } = exports;
  if (
    !isWasmMemory(memory) ||
    typeof _initialize !== 'function' ||
    typeof buffer_alloc !== 'function' ||
    typeof buffer_free !== 'function' ||
    typeof render !== 'function'
  ) {
    throw new Error(
      'chart engine: the wasm file lacks the expected exports (built by hack/build-engine.sh?)',
    );
  }
  // The checks above establish the shape; the exact signatures are the contract of engine/cmd/chart-engine.
  return exports as unknown as EngineExports;
}
