// The WebAssembly instance: memory, allocator and kernels. One per process (or page).
// DESIGN rule 4: memory can grow and detach views, so views are taken at the moment of use.
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { EngineError } from '../sdk/errors.js';
import type { DType } from '../sdk/dtype.js';

/** The exports of build/torchwick.wasm (assembly/index.ts). */
export interface Kernels {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  free(ptr: number): void;
  stat_bytes_live(): number;
  stat_blocks_live(): number;
  stat_peak_bytes(): number;
  stat_reset_peak(): void;
  [kernel: string]: any;
}

export type WasmSource = Uint8Array | ArrayBuffer | WebAssembly.Module | URL | string;

export interface MemoryStats {
  bytesLive: number;
  blocksLive: number;
  peakBytes: number;
}

const imports = {
  env: {
    abort(_msg: number, _file: number, line: number, col: number) {
      throw new EngineError(`engine assertion failed at ${line}:${col}`);
    },
  },
};

export class Engine {
  private buf: ArrayBuffer | null = null;
  private views: Partial<Record<string, ArrayBufferView>> = {};
  /** A 1 KiB block for kernel parameter descriptors (shape/stride blocks). */
  readonly desc: number;

  constructor(readonly k: Kernels) {
    this.desc = this.alloc(1024);
  }

  alloc(nbytes: number): number {
    const p = this.k.alloc(Math.max(nbytes, 0));
    if (p === 0) throw new EngineError(`out of memory: cannot allocate ${nbytes} bytes (${this.stats().bytesLive} bytes live)`);
    return p;
  }

  free(ptr: number): void {
    this.k.free(ptr);
  }

  stats(): MemoryStats {
    return { bytesLive: this.k.stat_bytes_live() >>> 0, blocksLive: this.k.stat_blocks_live() >>> 0, peakBytes: this.k.stat_peak_bytes() >>> 0 };
  }

  private view<T extends ArrayBufferView>(key: string, make: (b: ArrayBuffer) => T): T {
    const b = this.k.memory.buffer;
    if (b !== this.buf) {
      this.buf = b;
      this.views = {};
    }
    return (this.views[key] ??= make(b)) as T;
  }

  get u8(): Uint8Array { return this.view('u8', (b) => new Uint8Array(b)); }
  get i32(): Int32Array { return this.view('i32', (b) => new Int32Array(b)); }
  get f32(): Float32Array { return this.view('f32', (b) => new Float32Array(b)); }
  get f64(): Float64Array { return this.view('f64', (b) => new Float64Array(b)); }
  get i64(): BigInt64Array { return this.view('i64', (b) => new BigInt64Array(b)); }

  /** A typed array over `n` elements of `dtype` at byte address `ptr` (valid until memory grows). */
  array(dtype: DType, ptr: number, n: number): Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array {
    const b = this.k.memory.buffer;
    switch (dtype) {
      case 'float32': return new Float32Array(b, ptr, n);
      case 'float64': return new Float64Array(b, ptr, n);
      case 'int64': return new BigInt64Array(b, ptr, n);
      case 'int32': return new Int32Array(b, ptr, n);
      default: return new Uint8Array(b, ptr, n);
    }
  }

  /** Writes an i32 parameter block at `this.desc` and returns its address. */
  writeDesc(values: number[]): number {
    if (values.length > 256) throw new EngineError('kernel descriptor too large');
    this.i32.set(values, this.desc >> 2);
    return this.desc;
  }
}

let current: Engine | null = null;

function nodeWasmBytes(): Uint8Array {
  const proc = (globalThis as any).process;
  const fs = proc?.getBuiltinModule?.('node:fs');
  if (!fs) throw new EngineError('torchwick is not initialised: call `await torchwick.init()` first');
  for (const rel of ['../../../torchwick.wasm', '../torchwick.wasm', './torchwick.wasm']) {
    const url = new URL(rel, import.meta.url);
    if (fs.existsSync(url)) return fs.readFileSync(url);
  }
  throw new EngineError('torchwick.wasm not found next to the library: run `npm run build`');
}

function checkMagic(bytes: Uint8Array): void {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    const got = Array.from(bytes.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
    throw new EngineError(`not a WebAssembly module: expected magic 00 61 73 6d, found ${got}`);
  }
}

async function loadBytes(src: WasmSource): Promise<Uint8Array | WebAssembly.Module> {
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof Uint8Array) return src;
  if (src instanceof ArrayBuffer) return new Uint8Array(src);
  const res = await fetch(src);
  if (!res.ok) throw new EngineError(`cannot fetch ${String(src)}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Initialises the engine from bytes, a compiled module or a URL (browsers); Node finds the file itself. */
export async function init(src?: WasmSource): Promise<Engine> {
  if (current && !src) return current;
  const bytes = src ? await loadBytes(src) : nodeWasmBytes();
  if (bytes instanceof Uint8Array) checkMagic(bytes);
  try {
    const { exports } = await instantiate<Kernels>(bytes as any, imports);
    current = new Engine(exports as unknown as Kernels);
  } catch (e) {
    throw e instanceof EngineError ? e : new EngineError(`cannot instantiate torchwick.wasm: ${(e as Error).message}`);
  }
  return current;
}

/** The engine; in Node it is created on first use. */
export function engine(): Engine {
  if (current) return current;
  const bytes = nodeWasmBytes();
  checkMagic(bytes);
  const { exports } = instantiateSync<Kernels>(bytes as any, imports);
  current = new Engine(exports as unknown as Kernels);
  return current;
}
