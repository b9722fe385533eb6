// The slice of the WebAssembly JavaScript API the chart engine uses, typed here because the project's `lib`
// setting (no DOM) leaves the global WebAssembly object untyped. Node provides the object itself.

/** A compiled module; opaque to us. */
export interface WasmModule {
  readonly wasmModuleBrand?: never;
}

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

export type HostFunction = (...args: (number | bigint)[]) => number;

export type WasmImports = Record<string, Record<string, HostFunction>>;

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface ImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
}

interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(module: WasmModule, imports: WasmImports): Promise<WasmInstance>;
  readonly Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): ImportDescriptor[];
  };
  readonly Instance: new (module: WasmModule, imports: WasmImports) => WasmInstance;
  readonly Memory: abstract new (...args: never[]) => WasmMemory;
}

// The one untyped boundary: Node's global WebAssembly object, described by the interface above.
const api = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

export const compileWasm = (bytes: Uint8Array): Promise<WasmModule> => api.compile(bytes);

export const instantiateWasm = (module: WasmModule, imports: WasmImports): Promise<WasmInstance> =>
  api.instantiate(module, imports);

// Node compiles any size synchronously (browsers limit it on the main thread); the renderer is a synchronous
// pure function, so the engine it uses is loaded the same way.
export const compileWasmSync = (bytes: Uint8Array): WasmModule => new api.Module(bytes);

export const instantiateWasmSync = (module: WasmModule, imports: WasmImports): WasmInstance =>
  new api.Instance(module, imports);

export const wasmImports = (module: WasmModule): ImportDescriptor[] => api.Module.imports(module);

export const isWasmMemory = (value: unknown): value is WasmMemory => value instanceof api.Memory;
