// The WebAssembly instance: memory, allocator and kernels. One per process (or page).
// DESIGN rule 4: memory can grow and detach views, so views are taken at the moment of use.
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { EngineError } from '../sdk/errors.js';
import { activePool, ownerOf } from './pool.js';
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

export interface MemoryStats {
  bytesLive: number;
  blocksLive: number;
  peakBytes: number;
  /** Calls to the allocator since the engine started (a steady-state model run adds none). */
  allocations: number;
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
  private allocations = 0;
  private views: Partial<Record<string, ArrayBufferView>> = {};
  /** A 1 KiB block for kernel parameter descriptors (shape/stride blocks). */
  readonly desc: number;

  constructor(readonly k: Kernels) {
    this.desc = this.alloc(1024);
  }

  /** A 16-byte aligned block; inside a pool's scope (src/engine/pool.ts) it comes from the pool. */
  alloc(nbytes: number): number {
    const pool = activePool();
    return pool ? pool.take(nbytes) : this.rawAlloc(nbytes);
  }

  free(ptr: number): void {
    const pool = ownerOf(ptr);
    if (pool) pool.give(ptr);
    else this.k.free(ptr);
  }

  private scratchPtr = 0;
  private scratchBytes = 0;

  /**
   * Working memory for one kernel call, valid until the next call asks: one block, grown when a
   * call needs more and otherwise reused, so that a network's layers find it in cache (a fresh
   * block per layer would be cold: a cache miss on every line written). 64-byte aligned.
   */
  scratch(nbytes: number): number {
    if (nbytes > this.scratchBytes) {
      if (this.scratchPtr) this.k.free(this.scratchPtr);
      this.scratchPtr = 0;
      this.scratchBytes = 0;
      this.scratchPtr = this.rawAlloc(nbytes + 48);
      this.scratchBytes = nbytes;
    }
    // On a cache line (the allocator aligns to 16 bytes): measured 6% faster over TransformerNet,
    // whose Winograd chunks live here.
    return (this.scratchPtr + 48) & ~63;
  }

  /** Allocator calls, for pools: they bypass the active pool. */
  readonly raw = { alloc: (n: number) => this.rawAlloc(n), free: (p: number) => this.k.free(p) };

  private rawAlloc(nbytes: number): number {
    this.allocations++;
    // usize comes back as a signed i32: above 2 GiB it would read negative.
    const p = this.k.alloc(Math.max(nbytes, 0)) >>> 0;
    if (p === 0) throw new EngineError(`out of memory: cannot allocate ${nbytes} bytes (${this.stats().bytesLive} bytes live)`);
    return p;
  }

  /** Which build is running: 'relaxed-simd' (torchwick.relaxed.wasm) or 'simd'. */
  get variant(): EngineVariant {
    return this.k.conv_relaxed_simd?.() ? 'relaxed-simd' : 'simd';
  }

  stats(): MemoryStats {
    return { bytesLive: this.k.stat_bytes_live() >>> 0, blocksLive: this.k.stat_blocks_live() >>> 0, peakBytes: this.k.stat_peak_bytes() >>> 0, allocations: this.allocations };
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

/**
 * Where the engine's WebAssembly comes from. Note [Loading the engine]: with no source, Node
 * reads the file beside the library through `process.getBuiltinModule('node:fs')` (never a static
 * import, so bundles stay browser-clean) and browsers stream-compile
 * `new URL('./torchwick.wasm', import.meta.url)`, the pattern bundlers (Vite, webpack, rollup)
 * recognise and copy as an asset. Pages that serve the file elsewhere (a CDN, an Android WebView's
 * `https://appassets.androidplatform.net/...`) pass its URL; `file://` WebViews pass the bytes.
 * Compiling any WebAssembly needs CSP `script-src 'wasm-unsafe-eval'`; only the fuser's run-time
 * generated kernels can be turned off for stricter pages (it falls back to precompiled templates).
 */
export type WasmSource = Uint8Array | ArrayBuffer | WebAssembly.Module | Response | Promise<Response> | URL | string;

// A function returning f32x4.relaxed_madd of three zero vectors: it validates only where the host
// has relaxed SIMD (current Chrome and Android WebView; Node 20 with --experimental-wasm-relaxed-simd).
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
  0x03, 0x02, 0x01, 0x00, // functions: one of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code: one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array(16).fill(0)]), // v128.const 0, three times
  0xfd, 0x85, 0x02, 0x0b, // f32x4.relaxed_madd, end
]);

/** The engine build this host runs: 'relaxed-simd' (build/torchwick.relaxed.wasm) or 'simd'. */
export type EngineVariant = 'relaxed-simd' | 'simd';

let variant: EngineVariant | null = null;

/**
 * Which build to load: relaxed SIMD when the host validates it, unless TORCHWICK_WASM=simd (Node)
 * asks for the plain one (to compare the two in one machine).
 */
export function preferredVariant(): EngineVariant {
  const forced = (globalThis as any).process?.env?.TORCHWICK_WASM;
  if (forced === 'simd' || forced === 'relaxed-simd') return forced;
  return (variant ??= WebAssembly.validate(RELAXED_PROBE) ? 'relaxed-simd' : 'simd');
}

function nodeWasmBytes(): Uint8Array | null {
  const fs = (globalThis as any).process?.getBuiltinModule?.('node:fs');
  if (!fs) return null;
  const file = preferredVariant() === 'relaxed-simd' ? 'torchwick.relaxed.wasm' : 'torchwick.wasm';
  // './' is the bundle layout (dist/), '../../../' the tsc layout (build/js/src/engine/); a
  // missing relaxed build falls back to the plain one.
  for (const name of [file, 'torchwick.wasm']) {
    for (const dir of ['./', '../../../']) {
      const url = new URL(dir + name, import.meta.url);
      if (url.protocol === 'file:' && fs.existsSync(url)) return fs.readFileSync(url);
    }
  }
  throw new EngineError(`torchwick.wasm not found next to the library (${new URL('.', import.meta.url).href}): run \`npm run build\``);
}

/** The browser default: the build beside the bundle (both literal URLs, so bundlers copy both files). */
function defaultWasmUrl(): URL {
  return preferredVariant() === 'relaxed-simd' ? new URL('./torchwick.relaxed.wasm', import.meta.url) : new URL('./torchwick.wasm', import.meta.url);
}

function checkMagic(bytes: Uint8Array, where: string): void {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    const got = Array.from(bytes.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
    const html = bytes[0] === 0x3c ? ' (the server sent HTML: is the .wasm file deployed at that URL?)' : '';
    throw new EngineError(`${where} is not a WebAssembly module: expected magic 00 61 73 6d, found ${got}${html}`);
  }
}

const isResponse = (x: unknown): x is Response => typeof Response !== 'undefined' && x instanceof Response;

/** Compiles a fetched module, streaming when the server sends `application/wasm`. */
async function compileResponse(res: Response): Promise<WebAssembly.Module> {
  if (!res.ok) throw new EngineError(`cannot fetch ${res.url || 'torchwick.wasm'}: HTTP ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (WebAssembly.compileStreaming && type.split(';')[0].trim() === 'application/wasm') return WebAssembly.compileStreaming(res);
  // A wrong MIME type makes compileStreaming throw; compile from bytes and check them instead.
  const bytes = new Uint8Array(await res.arrayBuffer());
  checkMagic(bytes, res.url || 'torchwick.wasm');
  return WebAssembly.compile(bytes);
}

async function compileSource(src: WasmSource | undefined): Promise<WebAssembly.Module> {
  if (src === undefined) {
    const bytes = nodeWasmBytes();
    if (bytes) return compileSource(bytes);
    src = defaultWasmUrl();
  }
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer) src = new Uint8Array(src);
  if (src instanceof Uint8Array) {
    checkMagic(src, 'torchwick.wasm');
    return WebAssembly.compile(src as BufferSource);
  }
  if (typeof src === 'string' || src instanceof URL) {
    const url = src;
    src = await fetch(url).catch((e) => {
      throw new EngineError(`cannot fetch ${String(url)}: ${(e as Error).message}`);
    });
  }
  const res = await src;
  if (!isResponse(res)) throw new EngineError(`init: cannot load the engine from ${Object.prototype.toString.call(res)}`);
  return compileResponse(res);
}

/** A CSP refusal names the fix; other compile errors say what failed. */
function explain(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  const msg = (e as Error)?.message ?? String(e);
  if (/unsafe-eval|Content Security Policy|CSP/i.test(msg)) {
    return new EngineError(`the page's Content Security Policy forbids WebAssembly: add 'wasm-unsafe-eval' to script-src (${msg})`);
  }
  return new EngineError(`cannot instantiate torchwick.wasm: ${msg}`);
}

/**
 * Initialises the engine from bytes, a compiled module, a Response or a URL; with no argument Node
 * reads the file beside the library and browsers fetch `./torchwick.wasm` beside the bundle.
 */
export async function init(src?: WasmSource): Promise<Engine> {
  if (current && src === undefined) return current;
  try {
    const module = await compileSource(src);
    const { exports } = await instantiate<Kernels>(module, imports);
    current = new Engine(exports as unknown as Kernels);
  } catch (e) {
    throw explain(e);
  }
  return current;
}

/** The engine; in Node it is created on first use, in browsers after `await init()`. */
export function engine(): Engine {
  if (current) return current;
  const bytes = nodeWasmBytes();
  if (!bytes) throw new EngineError('torchwick is not initialised: call `await torchwick.init()` first');
  checkMagic(bytes, 'torchwick.wasm');
  try {
    current = new Engine(instantiateSync<Kernels>(bytes as any, imports).exports as unknown as Kernels);
  } catch (e) {
    throw explain(e);
  }
  return current;
}
