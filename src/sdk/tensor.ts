// Tensor: a strided view of a reference-counted storage in WebAssembly memory (DESIGN rule 5).
import { engine } from '../engine/engine.js';
import { DTYPES, type DType } from './dtype.js';
import { DisposedError, OpError } from './errors.js';
import { formatTensor } from './print.js';
import { contiguous } from '../ops/exec.js';
import type { GradNode } from '../autograd/node.js';

export class Storage {
  private refs = 1;
  /** Bumped by every in-place write: autograd checks saved tensors against it. */
  version = 0;
  constructor(readonly ptr: number, readonly nbytes: number) {}

  static allocate(nbytes: number): Storage {
    return new Storage(engine().alloc(nbytes), nbytes);
  }
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) engine().free(this.ptr);
  }
  get alive(): boolean {
    return this.refs > 0;
  }
}

// The backstop for tensors nobody disposed: frees their share of storage when collected.
const finalizer = new FinalizationRegistry<Storage>((s) => s.alive && s.release());

/** Tensors created while a scope is open are disposed when it closes, unless kept (see tidy). */
const scopes: Set<Tensor>[] = [];

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export const numelOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export class Tensor {
  private _storage: Storage | null;
  /** Autograd fields (src/autograd): the node that made this tensor and which of its outputs it is. */
  requiresGrad = false;
  grad: Tensor | null = null;
  gradFn: GradNode | null = null;
  outputNr = 0;

  constructor(storage: Storage, readonly dtype: DType, readonly shape: readonly number[], readonly strides: readonly number[] = contiguousStrides(shape), readonly offset = 0) {
    this._storage = storage;
    finalizer.register(this, storage, this);
    scopes[scopes.length - 1]?.add(this);
  }

  /** A new contiguous, uninitialised tensor. */
  static empty(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new OpError('aten::empty', `Trying to create tensor with negative dimension ${d}: [${shape.join(', ')}]`);
    return new Tensor(Storage.allocate(numelOf(shape) * DTYPES[dtype].size), dtype, [...shape]);
  }

  get storage(): Storage {
    if (!this._storage) throw new DisposedError('tensor used after dispose()');
    return this._storage;
  }
  get isDisposed(): boolean {
    return this._storage === null;
  }
  get dim(): number {
    return this.shape.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  get numel(): number {
    return numelOf(this.shape);
  }
  get itemsize(): number {
    return DTYPES[this.dtype].size;
  }
  /** Byte address of element [0, ..., 0]. */
  get ptr(): number {
    return this.storage.ptr + this.offset * this.itemsize;
  }
  size(d?: number): any {
    if (d === undefined) return [...this.shape];
    return this.shape[d < 0 ? d + this.dim : d];
  }
  stride(d?: number): any {
    if (d === undefined) return [...this.strides];
    return this.strides[d < 0 ? d + this.dim : d];
  }
  isContiguous(): boolean {
    let s = 1;
    for (let i = this.dim - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== s) return false;
      s *= this.shape[i];
    }
    return true;
  }

  /** A view sharing this tensor's storage. */
  asStrided(shape: readonly number[], strides: readonly number[], offset = this.offset): Tensor {
    return new Tensor(this.storage.retain(), this.dtype, [...shape], [...strides], offset);
  }

  dispose(): void {
    if (!this._storage) return;
    finalizer.unregister(this);
    this._storage.release();
    this._storage = null;
    for (const s of scopes) s.delete(this);
  }
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** A contiguous typed-array copy of the data (int64 as BigInt64Array). */
  dataSync(): Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array {
    const c = this.contiguousData();
    return c.slice();
  }

  /** Values as nested JS arrays (numbers; bool as booleans). */
  toArray(): any {
    const data = this.contiguousData();
    const conv = this.dtype === 'bool' ? (v: any) => v !== 0 : this.dtype === 'int64' ? (v: any) => Number(v) : (v: any) => v;
    const build = (d: number, base: number): any => {
      if (d === this.dim) return conv(data[base]);
      const n = this.shape[d];
      const inner = numelOf(this.shape.slice(d + 1));
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(d + 1, base + i * inner);
      return out;
    };
    return build(0, 0);
  }

  item(): number | boolean {
    if (this.numel !== 1) throw new OpError('aten::item', `a Tensor with ${this.numel} elements cannot be converted to Scalar`);
    const v = this.contiguousData()[0];
    return this.dtype === 'bool' ? v !== 0 : Number(v);
  }

  toString(): string {
    return formatTensor(this);
  }

  /** The data in row-major order, as a view into wasm memory (copied first if strided). */
  private contiguousData() {
    if (this.isContiguous()) return engine().array(this.dtype, this.ptr, this.numel);
    const c = contiguous(this);
    const copy = engine().array(c.dtype, c.ptr, c.numel).slice();
    c.dispose();
    return copy;
  }
}

// Op methods (add, mul, view, ...) are attached from the op table by src/sdk/torch.ts.
export interface Tensor {
  [method: string]: any;
}

/**
 * Runs `fn` and disposes every tensor it created, except those in its result (PyTorch has a GC;
 * in JS, deterministic release keeps WebAssembly memory from growing).
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  const keep = new Set<Tensor>();
  (function collect(v: any) {
    if (v instanceof Tensor) keep.add(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v instanceof Map) v.forEach(collect);
    else if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) Object.values(v).forEach(collect);
  })(result!);
  for (const t of scope) {
    if (keep.has(t)) scopes[scopes.length - 1]?.add(t);
    else t.dispose();
  }
  return result!;
}

/** Keeps a tensor alive beyond the enclosing tidy scope. */
export function keep<T extends Tensor>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}
