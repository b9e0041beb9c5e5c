// Unpickler for pickle protocol 2 as TorchScript and torch.save write it (torch/csrc/jit/serialization/
// unpickler.cpp). It never imports or runs anything: GLOBAL asks the caller's findClass, which returns a
// PickleGlobal whose hooks give REDUCE/NEWOBJ their meaning (see torch-globals.ts for TorchScript's set).

import { PickleError, SerializeError } from './errors.js';
import { Op } from './pickle-opcodes.js';
import { PickleGlobal, PyFloat, PyObject, PyTuple, isPickleGlobal, tuple } from './pickle-values.js';

export { pickle, type PickleOptions } from './pickler.js';

export interface UnpickleOptions {
  /** Resolves `module.name`; throw PickleError for anything not allowed. */
  findClass(module: string, name: string): PickleGlobal;
  /** Resolves a BINPERSID id (TorchScript: the storage tuple). Without it BINPERSID is an error. */
  persistentLoad?(pid: unknown): unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Unpickler {
  private pos = 0;
  private op = 0; // offset of the opcode being run, for messages
  private readonly stack: unknown[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array, private readonly opts: UnpickleOptions) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(what: string): never {
    throw new PickleError(`unpickle: ${what} at byte ${this.op}`);
  }

  private take(n: number): number {
    if (this.pos + n > this.bytes.length) this.fail(`truncated data (need ${n} more bytes)`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private u8(): number {
    return this.bytes[this.take(1)];
  }

  private u16(): number {
    return this.view.getUint16(this.take(2), true);
  }

  private u32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  private text(n: number): string {
    const at = this.take(n);
    try {
      return utf8.decode(this.bytes.subarray(at, at + n));
    } catch {
      return this.fail('invalid UTF-8 in string');
    }
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('unterminated GLOBAL name');
    const text = this.text(end - this.pos);
    this.pos++; // the newline
    return text;
  }

  /** Fails unless an item sits above the innermost MARK (as in Python, a MARK starts a fresh stack). */
  private checkNotEmpty(): void {
    const floor = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.stack.length <= floor) this.fail('stack underflow');
  }

  private pop(): unknown {
    this.checkNotEmpty();
    return this.stack.pop();
  }

  private top(): unknown {
    this.checkNotEmpty();
    return this.stack[this.stack.length - 1];
  }

  /** Items pushed since the last MARK, removing them and the mark. */
  private popMark(): unknown[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail('no MARK on the stack');
    return this.stack.splice(m);
  }

  private list(x: unknown, opname: string): unknown[] {
    if (!Array.isArray(x) || x instanceof PyTuple) this.fail(`${opname} on a ${describe(x)}, not a list`);
    return x;
  }

  private dict(x: unknown, opname: string): Map<unknown, unknown> {
    if (!(x instanceof Map)) this.fail(`${opname} on a ${describe(x)}, not a dict`);
    return x;
  }

  private args(x: unknown, opname: string): PyTuple {
    if (!(x instanceof PyTuple)) this.fail(`${opname} arguments are a ${describe(x)}, not a tuple`);
    return x;
  }

  private global(x: unknown, opname: string): PickleGlobal {
    if (!isPickleGlobal(x)) this.fail(`${opname} on a ${describe(x)}, not a global`);
    return x;
  }

  private setItems(d: Map<unknown, unknown>, items: unknown[]): void {
    if (items.length % 2) this.fail('odd number of items for SETITEMS');
    for (let i = 0; i < items.length; i += 2) d.set(items[i], items[i + 1]);
  }

  private memoGet(i: number): unknown {
    if (!this.memo.has(i)) this.fail(`memo index ${i} was never stored`);
    return this.memo.get(i);
  }

  run(): unknown {
    const s = this.stack;
    for (;;) {
      if (this.pos >= this.bytes.length) {
        this.op = this.pos;
        this.fail('truncated data (no STOP)');
      }
      this.op = this.pos;
      const op = this.u8();
      switch (op) {
        case Op.PROTO: {
          const v = this.u8();
          if (v < 2 || v > 5) this.fail(`unsupported pickle protocol ${v}`);
          break;
        }
        case Op.FRAME: this.take(8); break;
        case Op.STOP: return this.pop();
        case Op.MARK: this.marks.push(s.length); break;
        case Op.NONE: s.push(null); break;
        case Op.NEWTRUE: s.push(true); break;
        case Op.NEWFALSE: s.push(false); break;
        case Op.BININT: s.push(this.view.getInt32(this.take(4), true)); break;
        case Op.BININT1: s.push(this.u8()); break;
        case Op.BININT2: s.push(this.u16()); break;
        case Op.LONG1: s.push(this.long(this.u8())); break;
        case Op.BINFLOAT: s.push(new PyFloat(this.view.getFloat64(this.take(8), false))); break;
        case Op.BINUNICODE: s.push(this.text(this.u32())); break;
        case Op.SHORT_BINUNICODE: s.push(this.text(this.u8())); break;
        case Op.BINBYTES: { const n = this.u32(); const at = this.take(n); s.push(this.bytes.slice(at, at + n)); break; }
        case Op.SHORT_BINBYTES: { const n = this.u8(); const at = this.take(n); s.push(this.bytes.slice(at, at + n)); break; }
        case Op.EMPTY_LIST: s.push([]); break;
        case Op.EMPTY_DICT: s.push(new Map()); break;
        case Op.EMPTY_TUPLE: s.push(new PyTuple()); break;
        case Op.TUPLE: s.push(tuple(this.popMark())); break;
        case Op.TUPLE1: s.push(tuple([this.pop()])); break;
        case Op.TUPLE2: { const b = this.pop(), a = this.pop(); s.push(tuple([a, b])); break; }
        case Op.TUPLE3: { const c = this.pop(), b = this.pop(), a = this.pop(); s.push(tuple([a, b, c])); break; }
        case Op.LIST: s.push(this.popMark()); break;
        case Op.DICT: { const d = new Map(); this.setItems(d, this.popMark()); s.push(d); break; }
        case Op.APPEND: { const x = this.pop(); this.list(this.top(), 'APPEND').push(x); break; }
        case Op.APPENDS: {
          const items = this.popMark();
          const l = this.list(this.top(), 'APPENDS');
          for (const x of items) l.push(x);
          break;
        }
        case Op.SETITEM: {
          const v = this.pop(), k = this.pop();
          this.dict(this.top(), 'SETITEM').set(k, v);
          break;
        }
        case Op.SETITEMS: { const items = this.popMark(); this.setItems(this.dict(this.top(), 'SETITEMS'), items); break; }
        case Op.BINPUT: this.memo.set(this.u8(), this.top()); break;
        case Op.LONG_BINPUT: this.memo.set(this.u32(), this.top()); break;
        case Op.MEMOIZE: this.memo.set(this.memo.size, this.top()); break;
        case Op.BINGET: s.push(this.memoGet(this.u8())); break;
        case Op.LONG_BINGET: s.push(this.memoGet(this.u32())); break;
        case Op.GLOBAL: {
          const module = this.line();
          const name = this.line();
          s.push(this.hook(() => this.opts.findClass(module, name)));
          break;
        }
        case Op.REDUCE: {
          const args = this.args(this.pop(), 'REDUCE');
          const f = this.global(this.pop(), 'REDUCE');
          if (!f.call) this.fail(`'${f.module}.${f.name}' is not callable`);
          s.push(this.hook(() => f.call!(args)));
          break;
        }
        case Op.NEWOBJ: {
          const args = this.args(this.pop(), 'NEWOBJ');
          const cls = this.global(this.pop(), 'NEWOBJ');
          if (!cls.create) this.fail(`'${cls.module}.${cls.name}' cannot be instantiated`);
          s.push(this.hook(() => cls.create!(args)));
          break;
        }
        case Op.BUILD: {
          const state = this.pop();
          this.build(this.top(), state);
          break;
        }
        case Op.BINPERSID: {
          const pid = this.pop();
          const load = this.opts.persistentLoad;
          if (!load) this.fail('BINPERSID without a persistentLoad hook');
          s.push(this.hook(() => load.call(this.opts, pid)));
          break;
        }
        default:
          this.fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`);
      }
    }
  }

  private build(obj: unknown, state: unknown): void {
    if (obj instanceof PyObject) obj.state = state;
    // OrderedDict state (torch.save's state_dict `_metadata` attribute) carries no entries: ignore it.
    else if (!(obj instanceof Map)) this.fail(`BUILD on a ${describe(obj)}`);
  }

  /** LONG1: little-endian two's complement; a number when it is exact, else a bigint. */
  private long(n: number): number | bigint {
    const at = this.take(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[at + i]);
    if (n > 0 && this.bytes[at + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** Runs a caller hook; its PickleErrors gain the byte offset, other SerializeErrors pass through. */
  private hook<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof PickleError) this.fail(err.message);
      if (err instanceof SerializeError) throw err;
      return this.fail(`hook failed: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}

function describe(x: unknown): string {
  if (x === null) return 'None';
  if (x instanceof PyTuple) return 'tuple';
  if (Array.isArray(x)) return 'list';
  if (x instanceof Map) return 'dict';
  if (x instanceof PyFloat) return 'float';
  if (isPickleGlobal(x)) return `global '${x.module}.${x.name}'`;
  if (x instanceof PyObject) return `'${x.__class__}' object`;
  return typeof x;
}

/** Unpickles `bytes`; every malformed input throws PickleError naming the byte offset. */
export function unpickle(bytes: Uint8Array, opts: UnpickleOptions): unknown {
  return new Unpickler(bytes, opts).run();
}
