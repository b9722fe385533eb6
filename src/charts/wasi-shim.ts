// The few WASI (preview1) host functions the Go chart engine's runtime calls, implemented here instead of using
// node:wasi: the engine needs no files, sockets, arguments or environment, node:wasi prints an experimental
// warning on every start, and owning the shim lets us capture what the Go runtime writes to stderr (a fatal
// error's message) and report it with the failed render. Everything not listed answers ENOSYS or EBADF, so the
// engine cannot reach the host's file system.
import { getRandomValues } from 'node:crypto';
import { wasmImports } from './webassembly.ts';
import type { HostFunction, WasmImports, WasmMemory, WasmModule } from './webassembly.ts';

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_INVAL = 28;
const ERRNO_NOSYS = 52;
const CLOCK_REALTIME = 0;
const EVENTTYPE_CLOCK = 0;
const SUBSCRIPTION_SIZE = 48;
const EVENT_SIZE = 32;
const FILETYPE_CHARACTER_DEVICE = 2;

/** Thrown (through the wasm stack) when the guest calls proc_exit. */
export class WasiExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`chart engine exited with code ${code}`);
    this.code = code;
  }
}

export interface WasiShim {
  /** The import object for a module: the functions above, and a stub answering ENOSYS for any other import. */
  importsFor(module: WasmModule): WasmImports;
  /** Binds the shim to the instance's memory; call once, before the first export. */
  bind(memory: WasmMemory): void;
  /** Returns and clears what the guest wrote to stdout and stderr. */
  takeOutput(): string;
}

export function createWasiShim(): WasiShim {
  let memory: WasmMemory | undefined;
  let output = '';
  const view = (): DataView => {
    if (memory === undefined) throw new Error('chart engine: WASI shim used before bind');
    return new DataView(memory.buffer);
  };
  const fns = hostFunctions(view, (text) => {
    output += text;
  });
  return {
    importsFor: (module) => {
      const wasi: Record<string, HostFunction> = {};
      for (const { module: from, name, kind } of wasmImports(module)) {
        if (from === 'wasi_snapshot_preview1' && kind === 'function')
          wasi[name] = fns[name] ?? (() => ERRNO_NOSYS);
      }
      return { wasi_snapshot_preview1: wasi };
    },
    bind: (m) => {
      memory = m;
    },
    takeOutput: () => {
      const text = output;
      output = '';
      return text;
    },
  };
}

function hostFunctions(view: () => DataView, write: (text: string) => void): Record<string, HostFunction> {
  const bytes = (ptr: number | bigint, len: number): Uint8Array =>
    new Uint8Array(view().buffer, Number(ptr), len);
  const zeroPair = (a: number | bigint, b: number | bigint): number => {
    view().setUint32(Number(a), 0, true);
    view().setUint32(Number(b), 0, true);
    return ERRNO_SUCCESS;
  };
  return {
    args_sizes_get: zeroPair,
    environ_sizes_get: zeroPair,
    args_get: () => ERRNO_SUCCESS,
    environ_get: () => ERRNO_SUCCESS,
    sched_yield: () => ERRNO_SUCCESS,
    proc_exit: (code) => {
      throw new WasiExit(Number(code));
    },
    clock_time_get: (id, _precision, resultPtr) => {
      view().setBigUint64(Number(resultPtr), now(Number(id)), true);
      return ERRNO_SUCCESS;
    },
    random_get: (ptr, len) => {
      fillRandom(bytes(ptr, Number(len)));
      return ERRNO_SUCCESS;
    },
    fd_write: (fd, iovs, iovsLen, writtenPtr) => {
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      const { text, length } = gather(view(), Number(iovs), Number(iovsLen));
      write(text);
      view().setUint32(Number(writtenPtr), length, true);
      return ERRNO_SUCCESS;
    },
    fd_fdstat_get: (fd, statPtr) => {
      if (Number(fd) > 2) return ERRNO_BADF;
      bytes(statPtr, 24).fill(0);
      view().setUint8(Number(statPtr), FILETYPE_CHARACTER_DEVICE);
      return ERRNO_SUCCESS;
    },
    // No preopened directories: Go stops scanning for them at the first EBADF.
    fd_prestat_get: () => ERRNO_BADF,
    poll_oneoff: (inPtr, outPtr, count, eventsPtr) => pollClocks(view(), [inPtr, outPtr, count, eventsPtr]),
  };
}

function now(clockId: number): bigint {
  return clockId === CLOCK_REALTIME ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
}

// getRandomValues fills at most 64 KiB per call.
function fillRandom(target: Uint8Array): void {
  for (let offset = 0; offset < target.length; offset += 65536) {
    getRandomValues(target.subarray(offset, Math.min(offset + 65536, target.length)));
  }
}

function gather(view: DataView, iovs: number, count: number): { text: string; length: number } {
  const decoder = new TextDecoder();
  let text = '';
  let length = 0;
  for (let i = 0; i < count; i++) {
    const ptr = view.getUint32(iovs + i * 8, true);
    const len = view.getUint32(iovs + i * 8 + 4, true);
    text += decoder.decode(new Uint8Array(view.buffer, ptr, len));
    length += len;
  }
  return { text, length };
}

// The Go runtime polls only to sleep until its next timer when every goroutine is blocked. A render never
// sleeps, so this answers clock subscriptions at once (as if the timeout had passed) rather than blocking Node.
function pollClocks(view: DataView, [inPtr, outPtr, count, eventsPtr]: (number | bigint)[]): number {
  const n = Number(count);
  let events = 0;
  for (let i = 0; i < n; i++) {
    const sub = Number(inPtr) + i * SUBSCRIPTION_SIZE;
    if (view.getUint8(sub + 8) !== EVENTTYPE_CLOCK) return ERRNO_INVAL;
    const event = Number(outPtr) + events * EVENT_SIZE;
    new Uint8Array(view.buffer, event, EVENT_SIZE).fill(0);
    view.setBigUint64(event, view.getBigUint64(sub, true), true);
    view.setUint8(event + 10, EVENTTYPE_CLOCK);
    events++;
  }
  view.setUint32(Number(eventsPtr), events, true);
  return ERRNO_SUCCESS;
}
