// Pickler for the protocol 2 subset TorchScript reads (torch/csrc/jit/serialization/pickler.cpp): it writes
// objects, tensors and storages the way torch.jit.save does, so both torch.jit.load and Python's pickle accept it.

import { PickleError } from './errors.js';
import { Op } from './pickle-opcodes.js';
import { DeviceRef, PyFloat, PyObject, PyTuple, StorageRef, TensorRef, isDeviceRef, isTensorRef } from './pickle-values.js';
import { LIST_BUILDERS, STORAGE_DTYPES } from './torch-globals.js';

export interface PickleOptions {
  /** Container type tags (as unpickled by torchUnpickleOptions) to write back via build_*list / restore_type_tag. */
  typeTags?: WeakMap<object, string>;
}

const STORAGE_CLASS = Object.fromEntries(Object.entries(STORAGE_DTYPES).map(([cls, dt]) => [dt, cls]));
const BUILDER_FOR_TAG = Object.fromEntries(Object.entries(LIST_BUILDERS).map(([fn, tag]) => [tag, fn]));
const utf8 = new TextEncoder();

class Writer {
  private buf = new Uint8Array(256);
  private len = 0;
  private view = new DataView(this.buf.buffer);
  private nextMemo = 0;
  /** Memo slots of strings and globals (by value) and of objects, tensors, storages (by identity). */
  private readonly memoByValue = new Map<string, number>();
  private readonly memoById = new Map<object, number>();
  /** Containers being written, to refuse cycles rather than recurse forever. */
  private readonly active = new Set<object>();

  constructor(private readonly typeTags?: WeakMap<object, string>) {}

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.len + n, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  protocol2(): void {
    this.op(Op.PROTO);
    this.u8(2);
  }

  op(o: Op): void {
    this.reserve(1);
    this.buf[this.len++] = o;
  }

  private u8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v;
  }

  private u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.len, v, true);
    this.len += 4;
  }

  private bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private put(): number {
    const i = this.nextMemo++;
    if (i < 256) {
      this.op(Op.BINPUT);
      this.u8(i);
    } else {
      this.op(Op.LONG_BINPUT);
      this.u32(i);
    }
    return i;
  }

  private get(i: number): void {
    if (i < 256) {
      this.op(Op.BINGET);
      this.u8(i);
    } else {
      this.op(Op.LONG_BINGET);
      this.u32(i);
    }
  }

  /** Writes a memoized item: BINGET if seen, else write it and BINPUT. */
  private memoized<K>(memo: Map<K, number>, key: K, write: () => void): void {
    const seen = memo.get(key);
    if (seen !== undefined) return this.get(seen);
    write();
    memo.set(key, this.put());
  }

  int(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 256) {
      this.op(Op.BININT1);
      this.u8(v);
    } else if (typeof v === 'number' && v >= 0 && v < 65536) {
      this.op(Op.BININT2);
      this.u8(v & 0xff);
      this.u8(v >>> 8);
    } else if (typeof v === 'number' && v >= -(2 ** 31) && v < 2 ** 31) {
      this.op(Op.BININT);
      this.u32(v >>> 0);
    } else {
      this.long1(BigInt(v));
    }
  }

  /** LONG1 with the fewest two's complement bytes that hold v. */
  private long1(v: bigint): void {
    const out: number[] = [];
    let x = v;
    for (;;) {
      const byte = Number(x & 0xffn);
      out.push(byte);
      x >>= 8n;
      if ((x === 0n && !(byte & 0x80)) || (x === -1n && byte & 0x80)) break;
    }
    if (out.length > 255) throw new PickleError(`pickle: integer ${v} is too large for LONG1`);
    this.op(Op.LONG1);
    this.u8(out.length);
    for (const b of out) this.u8(b);
  }

  float(v: number): void {
    this.op(Op.BINFLOAT);
    this.reserve(8);
    this.view.setFloat64(this.len, v, false);
    this.len += 8;
  }

  string(s: string): void {
    this.memoized(this.memoByValue, `s:${s}`, () => {
      const b = utf8.encode(s);
      this.op(Op.BINUNICODE);
      this.u32(b.length);
      this.bytes(b);
    });
  }

  global(module: string, name: string): void {
    this.memoized(this.memoByValue, `g:${module}\n${name}`, () => {
      if (/\n/.test(module + name)) throw new PickleError(`pickle: global name '${module}.${name}' has a newline`);
      this.op(Op.GLOBAL);
      this.bytes(utf8.encode(`${module}\n${name}\n`));
    });
  }

  /** A tuple with TUPLE1-3 for short ones, as TorchScript's pickler writes them. */
  tuple(items: readonly unknown[]): void {
    if (items.length === 0) return this.op(Op.EMPTY_TUPLE);
    if (items.length > 3) this.op(Op.MARK);
    for (const x of items) this.value(x);
    this.op(items.length > 3 ? Op.TUPLE : [Op.TUPLE1, Op.TUPLE2, Op.TUPLE3][items.length - 1]);
  }

  /** A MARK ... TUPLE int tuple, as tensor sizes and strides are written. */
  private intTuple(xs: number[]): void {
    this.op(Op.MARK);
    for (const x of xs) this.int(x);
    this.op(Op.TUPLE);
  }

  value(v: unknown): void {
    if (v === null) return this.op(Op.NONE);
    if (v === true) return this.op(Op.NEWTRUE);
    if (v === false) return this.op(Op.NEWFALSE);
    if (typeof v === 'number') return Number.isInteger(v) ? this.int(v) : this.float(v);
    if (typeof v === 'bigint') return this.int(v);
    if (typeof v === 'string') return this.string(v);
    if (v instanceof PyFloat) return this.float(v.value);
    if (typeof v !== 'object') throw new PickleError(`pickle: cannot pickle a ${typeof v}`);
    if (this.active.has(v)) throw new PickleError('pickle: value contains a cycle');
    this.active.add(v);
    const tag = this.typeTags?.get(v);
    if (tag !== undefined && !(v instanceof PyTuple)) this.tagged(v, tag);
    else this.untagged(v);
    this.active.delete(v);
  }

  private tagged(v: object, tag: string): void {
    const builder = Array.isArray(v) ? BUILDER_FOR_TAG[tag] : undefined;
    this.global('torch.jit._pickle', builder ?? 'restore_type_tag');
    if (builder) {
      this.op(Op.MARK);
      this.untagged(v);
      this.op(Op.TUPLE);
    } else {
      this.untagged(v);
      this.string(tag);
      this.op(Op.TUPLE2);
    }
    this.op(Op.REDUCE);
  }

  private untagged(v: object): void {
    if (v instanceof PyTuple) return this.tuple(v);
    if (Array.isArray(v)) {
      this.op(Op.EMPTY_LIST);
      if (!v.length) return;
      this.op(Op.MARK);
      for (const x of v) this.value(x);
      return this.op(Op.APPENDS);
    }
    if (v instanceof Map) {
      this.op(Op.EMPTY_DICT);
      if (!v.size) return;
      this.op(Op.MARK);
      for (const [k, x] of v) {
        this.value(k);
        this.value(x);
      }
      return this.op(Op.SETITEMS);
    }
    if (v instanceof PyObject) return this.memoized(this.memoById, v, () => this.object(v));
    if (isTensorRef(v)) return this.memoized(this.memoById, v, () => this.tensor(v));
    if (isDeviceRef(v)) return this.device(v);
    throw new PickleError(`pickle: cannot pickle a ${v.constructor?.name ?? 'object'}`);
  }

  private object(o: PyObject): void {
    const dot = o.__class__.lastIndexOf('.');
    if (dot <= 0) throw new PickleError(`pickle: class name '${o.__class__}' has no module`);
    this.global(o.__class__.slice(0, dot), o.__class__.slice(dot + 1));
    this.op(Op.EMPTY_TUPLE);
    this.op(Op.NEWOBJ);
    if (o.state === undefined) return;
    this.value(o.state);
    this.op(Op.BUILD);
  }

  private tensor(t: TensorRef): void {
    if (t.isParameter) this.global('torch._utils', '_rebuild_parameter');
    this.global('torch._utils', '_rebuild_tensor_v2');
    this.op(Op.MARK);
    this.memoized(this.memoById, t.storage, () => this.storage(t.storage));
    this.int(t.offset);
    this.intTuple(t.size);
    this.intTuple(t.stride);
    this.value(t.requiresGrad);
    this.emptyOrderedDict();
    this.op(Op.TUPLE);
    this.op(Op.REDUCE);
    if (!t.isParameter) return;
    this.value(t.requiresGrad);
    this.emptyOrderedDict();
    this.op(Op.TUPLE3);
    this.op(Op.REDUCE);
  }

  /** collections.OrderedDict(): the backward-hooks argument. */
  private emptyOrderedDict(): void {
    this.global('collections', 'OrderedDict');
    this.op(Op.EMPTY_TUPLE);
    this.op(Op.REDUCE);
  }

  private storage(s: StorageRef): void {
    const cls = STORAGE_CLASS[s.dtype];
    if (!cls) throw new PickleError(`pickle: unknown storage dtype '${s.dtype}'`);
    this.op(Op.MARK);
    this.string('storage');
    this.global('torch', cls);
    this.string(s.key);
    this.string(s.location);
    this.int(s.numel);
    this.op(Op.TUPLE);
    this.op(Op.BINPERSID);
  }

  private device(d: DeviceRef): void {
    this.global('torch', 'device');
    this.tuple([d.device]);
    this.op(Op.REDUCE);
  }
}

/** Pickles a value tree (see Note [Python values in JS] in pickle-values.ts) as protocol 2 bytes. */
export function pickle(value: unknown, opts: PickleOptions = {}): Uint8Array {
  const w = new Writer(opts.typeTags);
  w.protocol2();
  w.value(value);
  w.op(Op.STOP);
  return w.result();
}
