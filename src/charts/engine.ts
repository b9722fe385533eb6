// Loads the Go chart engine (WebAssembly, built by hack/build-engine.sh) and renders charts with it. One
// instance serves many renders: the Go runtime starts once, and each render is a call into an exported
// function, with the request and response passed as JSON through buffers in the engine's memory. The shared
// engine of a process runs on a thread of its own (engine-thread.ts); this module is the engine itself.
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

/** The engine at the level of its exported function: an encoded request in, the encoded response out. */
export interface EngineCore {
  /** Throws (an Error with what the Go runtime printed) when the runtime traps or exits. */
  renderBytes(input: Uint8Array): Uint8Array;
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
  return engineOf(coreOf(wasi, await instantiateWasm(module, wasi.importsFor(module))));
}

/** Reads, compiles and starts the engine at `wasmPath` synchronously (the engine thread's start). */
export function loadEngineCoreSync(wasmPath: string): EngineCore {
  const module = compileWasmSync(readFileSync(wasmPath));
  const wasi = createWasiShim();
  return coreOf(wasi, instantiateWasmSync(module, wasi.importsFor(module)));
}

function coreOf(wasi: WasiShim, instance: WasmInstance): EngineCore {
  const exports = checkExports(instance.exports);
  wasi.bind(exports.memory);
  guard(wasi, 'start chart engine', () => {
    exports._initialize();
  });
  let broken: Error | undefined;
  return {
    renderBytes: (input) => {
      // After a fatal error the Go runtime's state is unknown: refuse rather than render wrongly.
      if (broken !== undefined)
        throw new Error('chart engine unusable after an earlier failure', { cause: broken });
      try {
        return guard(wasi, 'render chart', () => call(exports, input));
      } catch (err) {
        broken = err instanceof Error ? err : new Error(String(err));
        throw err;
      }
    },
  };
}

/** A ChartEngine over a core, wherever the core runs (this thread, or the engine thread). */
export function engineOf(core: EngineCore): ChartEngine {
  return { render: (request) => decodeResult(core.renderBytes(encodeRequest(request))) };
}

/** A chart's own failure (bad template, `fail`, missing required value); the engine stays usable. */
export class ChartRenderError extends Error {}

function decodeResult(output: Uint8Array): RenderResult {
  try {
    return decodeResponse(output, 'render chart');
  } catch (err) {
    throw new ChartRenderError(err instanceof Error ? err.message : String(err));
  }
}

function call(exports: EngineExports, input: Uint8Array): Uint8Array {
  const inPtr = exports.buffer_alloc(input.length);
  new Uint8Array(exports.memory.buffer, inPtr, input.length).set(input);
  const packed = exports.render(inPtr, input.length);
  exports.buffer_free(inPtr);
  const outPtr = Number(packed >> 32n);
  const outLen = Number(packed & 0xffffffffn);
  // Copy out before freeing: the engine may reuse or grow its memory on the next call.
  const output = new Uint8Array(exports.memory.buffer, outPtr, outLen).slice();
  exports.buffer_free(outPtr);
  return output;
}

// Turns a trap or exit of the Go runtime into an Error carrying what the runtime printed before dying.
function guard<T>(wasi: WasiShim, what: string, fn: () => T): T {
  try {
    const result = fn();
    wasi.takeOutput();
    return result;
  } catch (err) {
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
