/**
 * An Emscripten-built WebAssembly decoder started synchronously: the .wasm is compiled and
 * instantiated through the module's `instantiateWasm` hook, so embind has registered the module's
 * classes and functions on the arguments object by the time the factory returns, and decoding can
 * stay synchronous. What the module prints goes to `messages` (decoders report faults by printing).
 */
import { readFileSync } from 'node:fs';

/** The little of the WebAssembly API used here (the project's `lib` setting has no DOM types). */
interface WasmInstance {
  readonly exports: object;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface EmscriptenArgs {
  print(text: string): void;
  printErr(text: string): void;
  instantiateWasm(imports: object, done: (instance: WasmInstance) => void): object;
}

/** The started module's own members (what embind registered), to be checked by the caller. */
export function startEmscripten(
  factory: (args: EmscriptenArgs) => Promise<unknown>,
  wasmFile: string,
  messages: string[],
): Record<string, unknown> {
  const wasm = new wasmApi.Module(readFileSync(wasmFile));
  const args: EmscriptenArgs = {
    print: (text) => messages.push(text),
    printErr: (text) => messages.push(text),
    instantiateWasm(imports, done) {
      const instance = new wasmApi.Instance(wasm, imports);
      done(instance);
      return instance.exports;
    },
  };
  // The promise resolves to `args` itself; a failed start shows as members missing.
  factory(args).catch(() => {});
  return args as unknown as Record<string, unknown>;
}
