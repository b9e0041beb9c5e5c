// torch.jit.save: a ScriptModule or a traced/scripted JS function -> archive bytes that PyTorch's
// torch.jit.load reads, laid out as torch/csrc/jit/serialization/export_module.cpp writes them:
// data.pkl (the object tree), code/ (class sources), constants.pkl, data/<key> and constants/<key>
// (raw storage bytes, each storage once), version, .data/version, byteorder, .data/serialization_id,
// every record stored 64-byte aligned under one top folder.
import { writeZip, pickle, crc32, PyFloat, PyObject, tuple, DTYPE_ITEMSIZE } from '../serialize/index.js';
import type { StorageRef, TensorRef, DeviceRef, ZipEntryInput } from '../serialize/index.js';
import { Tensor, type Storage } from '../sdk/tensor.js';
import { engine } from '../engine/engine.js';
import { TorchwickError } from '../sdk/errors.js';
import { ScriptModule, ScriptObject } from './module.js';
import { classType, typeToPython, type JitType } from './types.js';
import { allNodes, constantValue, type Graph } from './ir.js';
import { pythonPrint } from './python-print.js';
import { UPGRADED_OPS } from './load.js';

/** A value or function that cannot be written as a TorchScript archive. */
export class SaveError extends TorchwickError {}

/** What save() accepts besides a ScriptModule: the functions jit.trace / jit.script return. */
export interface SavableFunction {
  (...args: any[]): any;
  readonly graphBeforePasses: Graph;
  readonly name: string;
}

const FOLDER = 'archive';
/** kMinProducedFileFormatVersion: archives are stamped at least this (caffe2/serialize/versions.h). */
const MIN_PRODUCED_VERSION = 3;
/** gelu gained `approximate` at version 10; the loader needs no upgrader for it, but archives using it say 10. */
const GELU = { op: 'aten::gelu', pattern: /\btorch\.gelu\(/, bumpedAt: 10 };
/** The class torch.jit.save wraps a function in (ScriptFunction.save in torch/csrc/jit/python/script_init.cpp). */
const PLACEHOLDER = '__torch__.PlaceholderModule';

/**
 * The archive of `target`: a ScriptModule (as loaded, with its current attribute and parameter
 * values) or a function from jit.trace / jit.script (wrapped as PyTorch wraps a ScriptFunction).
 * With `path` (Node), the bytes are also written there.
 */
export function save(target: ScriptModule | SavableFunction, path?: string): Uint8Array {
  const bytes = target instanceof ScriptModule ? saveModule(target) : saveFunction(target);
  if (path !== undefined) writeFile(path, bytes);
  return bytes;
}

function saveModule(m: ScriptModule): Uint8Array {
  const unit = m.cls.unit;
  const files = new Set([...unit.allClasses().map((c) => c.file), ...unit.allFunctions().map((f) => f.file)]);
  const code = [...files].map((file) => {
    const text = file.startsWith('code/') ? unit.source(file.slice('code/'.length)) : undefined;
    if (text === undefined) throw new SaveError(`cannot save module ${m.cls.qualname}: no TorchScript source for ${file} (only modules loaded from archives can be saved)`);
    return { path: file, text };
  });
  return writeArchive(m, code, unit.constants);
}

function saveFunction(fn: SavableFunction): Uint8Array {
  if (!fn || typeof fn !== 'function' || !fn.graphBeforePasses) {
    throw new SaveError('save expects a ScriptModule or a function returned by jit.trace / jit.script');
  }
  const g = fn.graphBeforePasses;
  if (g.inputs[0]?.type.kind === 'Class') {
    throw new SaveError(`cannot save '${fn.name}': saving traced or scripted JS modules (methods with self) is not supported; save a function`);
  }
  for (const n of allNodes(g.block)) {
    const c = n.kind === 'prim::Constant' ? constantValue(n.outputs[0]) : undefined;
    if (typeof c === 'object' && c !== null && !Array.isArray(c)) {
      throw new SaveError(`cannot save '${fn.name}': its graph holds a tensor constant, which save does not write yet`);
    }
  }
  // The JS graph is a free function; PyTorch's wrapper class makes it `forward(self, ...)`.
  const method = g.copy();
  method.insertInput(0, 'self', classType(PLACEHOLDER));
  const forward = pythonPrint(method, 'forward', true);
  const text = 'class PlaceholderModule(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n'
    + forward.replace(/^(?=.)/gm, '  ');
  const root = new PyObject(PLACEHOLDER);
  root.state = new Map([['training', true]]);
  return writeArchive(root, [{ path: 'code/__torch__.py', text }], []);
}

interface CodeFile { path: string; text: string }

function writeArchive(root: ScriptObject | PyObject, code: CodeFile[], constants: readonly unknown[]): Uint8Array {
  const data = new Pickling('data');
  const dataPkl = pickle(root instanceof ScriptObject ? data.object(root) : root, { typeTags: data.typeTags });
  const consts = new Pickling('constants');
  const constantsPkl = pickle(tuple(constants.map((c) => consts.value(c, undefined))), { typeTags: consts.typeTags });
  const utf8 = new TextEncoder();
  const version = String(archiveVersion(code.map((f) => f.text)));
  const rec = (name: string, bytes: Uint8Array): ZipEntryInput => ({ name: `${FOLDER}/${name}`, data: bytes });
  const codeRecords = code.map((f) => rec(f.path, utf8.encode(f.text)));
  return writeZip([
    rec('data.pkl', dataPkl),
    ...codeRecords,
    rec('constants.pkl', constantsPkl),
    ...consts.records.map((r) => rec(r.name, r.data)),
    ...data.records.map((r) => rec(r.name, r.data)),
    rec('version', utf8.encode(`${version}\n`)),
    rec('.data/version', utf8.encode(`${version}\n`)),
    rec('byteorder', utf8.encode('little')),
    rec('.data/serialization_id', utf8.encode(serializationId([dataPkl, constantsPkl, ...codeRecords.map((r) => r.data)]))),
  ]);
}

/** The lowest version whose op semantics match the code, as PyTorch stamps archives ("dynamic versions"). */
function archiveVersion(sources: string[]): number {
  let v = MIN_PRODUCED_VERSION;
  // Read at call time: load.js and this file import each other (through module.js).
  for (const u of [...UPGRADED_OPS, GELU]) if (sources.some((s) => u.pattern.test(s))) v = Math.max(v, u.bumpedAt);
  return v;
}

/** 40 decimal digits like PyTorch's, derived from the content so that saving is reproducible. */
function serializationId(parts: Uint8Array[]): string {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 1));
  let at = 1;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  let id = '';
  for (let i = 0; i < 4; i++) {
    all[0] = i; // four differently seeded checksums of the same content
    id += String(crc32(all)).padStart(10, '0');
  }
  return id;
}

/**
 * Runtime values -> pickle values (Note [Python values in JS] in serialize/pickle-values.ts), with
 * declared types deciding what JS cannot tell: float vs int, tuple vs list, a Device's string,
 * and the container type tags torch.jit.load needs (build_intlist, restore_type_tag...).
 */
class Pickling {
  readonly typeTags = new WeakMap<object, string>();
  readonly records: { name: string; data: Uint8Array }[] = [];
  private readonly storages = new Map<Storage, StorageRef>();
  private readonly tensors = new Map<Tensor, TensorRef>();
  private readonly objects = new Map<ScriptObject, PyObject>();

  /** `dir`: where this pickle's storages go (`data/` for data.pkl, `constants/` for constants.pkl). */
  constructor(private readonly dir: string) {}

  object(o: ScriptObject): PyObject {
    const known = this.objects.get(o);
    if (known) return known;
    const p = new PyObject(o.cls.qualname);
    this.objects.set(o, p);
    const getstate = o.cls.method('__getstate__');
    if (getstate) {
      p.state = this.value(o.callMethod('__getstate__'), getstate.returnType());
    } else {
      // The attribute dict is written untagged, in slot order, as the pickler writes object state.
      const state = new Map<string, unknown>();
      for (const [k, v] of o.attrs) state.set(k, this.value(v, o.cls.attributes.get(k)));
      p.state = state;
    }
    return p;
  }

  value(v: unknown, t: JitType | undefined): unknown {
    if (t?.kind === 'Optional') return v === null || v === undefined ? null : this.value(v, t.elem);
    if (v === null || v === undefined) return null;
    if (v instanceof Tensor) return this.tensor(v);
    if (v instanceof ScriptObject) return this.object(v);
    switch (typeof v) {
      case 'boolean': case 'bigint': return v;
      case 'number': return this.number(v, t);
      case 'string': return t?.kind === 'Device' ? ({ kind: 'device', device: v } satisfies DeviceRef) : v;
    }
    if (Array.isArray(v)) {
      if (t?.kind === 'Tuple') return tuple(v.map((x, i) => this.value(x, t.elems[i])));
      const elem = t?.kind === 'List' ? t.elem : undefined;
      return this.tag(v.map((x) => this.value(x, elem)), t?.kind === 'List' ? t : { kind: 'List', elem: { kind: 'Any' } });
    }
    if (v instanceof Map) {
      const [kt, vt] = t?.kind === 'Dict' ? [t.key, t.value] : [undefined, undefined];
      const out = new Map();
      v.forEach((x, k) => out.set(this.value(k, kt), this.value(x, vt)));
      return this.tag(out, t?.kind === 'Dict' ? t : { kind: 'Dict', key: { kind: 'Any' }, value: { kind: 'Any' } });
    }
    throw new SaveError(`cannot save a value of type ${(v as object).constructor?.name ?? typeof v}${t ? ` (declared ${typeToPython(t)})` : ''}`);
  }

  private number(v: number, t: JitType | undefined): unknown {
    if (t?.kind === 'float') return new PyFloat(v);
    if (t?.kind === 'int' && !Number.isInteger(v)) throw new SaveError(`cannot save ${v} as an int`);
    return Number.isInteger(v) ? v : new PyFloat(v);
  }

  private tag<T extends object>(x: T, t: JitType): T {
    this.typeTags.set(x, typeToPython(t));
    return x;
  }

  private tensor(t: Tensor): TensorRef {
    const known = this.tensors.get(t);
    if (known) return known;
    const ref: TensorRef = {
      kind: 'tensor', storage: this.storage(t), offset: t.offset, size: [...t.shape], stride: [...t.strides],
      requiresGrad: t.requiresGrad, isParameter: false,
    };
    this.tensors.set(t, ref);
    return ref;
  }

  /** Each storage once, with its current bytes (so weights changed after loading are what is saved). */
  private storage(t: Tensor): StorageRef {
    const st = t.storage;
    const known = this.storages.get(st);
    if (known) {
      if (known.dtype !== t.dtype) throw new SaveError(`storage ${this.dir}/${known.key} is viewed as both ${known.dtype} and ${t.dtype}`);
      return known;
    }
    const itemsize = DTYPE_ITEMSIZE[t.dtype];
    const ref: StorageRef = { kind: 'storage', dtype: t.dtype, key: String(this.storages.size), numel: Math.floor(st.nbytes / itemsize), location: 'cpu' };
    this.storages.set(st, ref);
    this.records.push({ name: `${this.dir}/${ref.key}`, data: engine().u8.slice(st.ptr, st.ptr + ref.numel * itemsize) });
    return ref;
  }
}

function writeFile(path: string, bytes: Uint8Array): void {
  const fs = (globalThis as { process?: { getBuiltinModule?: (m: string) => any } }).process?.getBuiltinModule?.('node:fs');
  if (!fs) throw new SaveError(`cannot write '${path}': no file system here; use the returned bytes`);
  try {
    fs.writeFileSync(path, bytes);
  } catch (err) {
    throw new SaveError(`cannot write '${path}': ${(err as Error).message}`);
  }
}
