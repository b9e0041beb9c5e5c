// `torch.jit.save` archives -> ScriptModule, as torch/csrc/jit/serialization/import.cpp reads
// them: one top-level folder; `version` checked; `constants.pkl` is the constant table;
// `data.pkl` is the module tree, whose `__torch__` classes come from `code/`; each storage
// `data/<key>` is copied into the engine once and tensors are strided views of it.
import { readZip, unpickle, torchUnpickleOptions, PyFloat, PyObject, isTensorRef, isDeviceRef, DTYPE_ITEMSIZE, SerializeError } from '../serialize/index.js';
import type { TensorRef, ZipReader } from '../serialize/index.js';
import { Tensor } from '../sdk/tensor.js';
import { isDType } from '../sdk/dtype.js';
import { engine } from '../engine/engine.js';
import { TorchwickError } from '../sdk/errors.js';
import { TorchScriptSyntaxError } from './frontend/error.js';
import { CompilationUnit } from './compile/unit.js';
import { ScriptCompileError } from './compile/errors.js';
import { ScriptModule, ScriptObject, createObject } from './module.js';

/** The archive's layout, version or storages are wrong or unsupported. */
export class ArchiveError extends TorchwickError {}

export const MIN_VERSION = 1;
export const MAX_VERSION = 10;

/**
 * Ops whose meaning changed at a file version (caffe2/serialize/versions.h, operator_upgraders):
 * archives older than the bump that use them are refused rather than run with today's semantics.
 * (`gelu` < 10 only gained a defaulted argument, which schema defaults already supply.)
 */
export const UPGRADED_OPS: readonly { op: string; pattern: RegExp; bumpedAt: number }[] = [
  { op: 'aten::div', pattern: /\btorch\.div_?\(/, bumpedAt: 4 },
  { op: 'aten::full', pattern: /\btorch\.full\(/, bumpedAt: 5 },
  { op: 'aten::linspace', pattern: /\btorch\.linspace\(/, bumpedAt: 8 },
  { op: 'aten::logspace', pattern: /\btorch\.logspace\(/, bumpedAt: 9 },
];

/** Loads an archive from bytes, a path (Node) or a URL (fetched). */
export async function load(src: Uint8Array | ArrayBuffer | string | URL): Promise<ScriptModule> {
  if (src instanceof Uint8Array || src instanceof ArrayBuffer) return loadBytes(src);
  const text = String(src);
  if (src instanceof URL || /^(https?|file|blob|data):/.test(text)) {
    const res = await fetch(text);
    if (!res.ok) throw new ArchiveError(`cannot fetch '${text}': HTTP ${res.status}`);
    return loadBytes(new Uint8Array(await res.arrayBuffer()));
  }
  return loadFile(text);
}

/** Reads a path with Node's fs (never imported in browsers). */
export function loadFile(path: string): ScriptModule {
  const fs = (globalThis as { process?: { getBuiltinModule?: (m: string) => any } }).process?.getBuiltinModule?.('node:fs');
  if (!fs) throw new ArchiveError(`cannot read '${path}': no file system here; pass bytes or a URL`);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    throw new ArchiveError(`cannot read '${path}': ${(err as Error).message}`);
  }
  return loadBytes(bytes);
}

export function loadBytes(input: Uint8Array | ArrayBuffer): ScriptModule {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes[0] === 0x80 && bytes[1] === 0x02) throw new ArchiveError('this is a legacy torch.save pickle, not a TorchScript archive');
  const zip = readZip(bytes);
  const names = zip.names();
  if (!names.length) throw new ArchiveError('archive is empty');
  const folder = names[0].split('/')[0];
  for (const n of names) {
    if (!n.includes('/') || n.split('/')[0] !== folder) throw new ArchiveError(`file in archive is not in a subdirectory ${folder}/: ${n}`);
  }
  const rec = (name: string) => `${folder}/${name}`;
  if (zip.has(rec('model.json'))) throw new ArchiveError('legacy (PyTorch < 1.2) archives with model.json are not supported');
  const version = readVersion(zip, rec);
  if (!zip.has(rec('data.pkl'))) throw new ArchiveError(`archive has no ${folder}/data.pkl`);
  if (!zip.has(rec('constants.pkl'))) throw new ArchiveError('archive has no constants.pkl: it is a torch.save checkpoint, not a TorchScript archive');

  const codePaths = names.filter((n) => n.startsWith(rec('code/')) && n.endsWith('.py')).map((n) => n.slice(rec('code/').length));
  const decoder = new TextDecoder('utf-8');
  const source = (path: string) => (zip.has(rec(`code/${path}`)) ? decoder.decode(zip.read(rec(`code/${path}`))) : undefined);
  checkUpgraders(version, codePaths.map((p) => source(p)!));

  const storages = new Storages(zip, rec);
  try {
    const constants = toArray(unpickleRecord(zip, rec('constants.pkl')), 'constants.pkl').map((c) => storages.convert(c, null));
    const unit = new CompilationUnit(source, constants);
    unit.loadAll(codePaths);
    const root = storages.convert(unpickleRecord(zip, rec('data.pkl')), unit);
    if (!(root instanceof ScriptModule)) throw new ArchiveError('data.pkl does not hold a module object');
    return root;
  } catch (err) {
    storages.releaseViews();
    throw wrap(err);
  } finally {
    storages.releaseBases();
  }
}

function wrap(err: unknown): Error {
  if (err instanceof TorchwickError || err instanceof SerializeError || err instanceof TorchScriptSyntaxError || err instanceof ScriptCompileError) return err;
  return new ArchiveError(`malformed archive: ${(err as Error)?.message ?? String(err)}`);
}

function readVersion(zip: ZipReader, rec: (n: string) => string): number {
  const name = zip.has(rec('.data/version')) ? rec('.data/version') : zip.has(rec('version')) ? rec('version') : null;
  if (!name) throw new ArchiveError('archive has no version record');
  const text = new TextDecoder().decode(zip.read(name)).trim();
  const v = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= MIN_VERSION && v <= MAX_VERSION)) {
    throw new ArchiveError(`archive file format version ${text || '(empty)'} is not supported (supported: ${MIN_VERSION} to ${MAX_VERSION})`);
  }
  return v;
}

function checkUpgraders(version: number, sources: string[]): void {
  for (const u of UPGRADED_OPS) {
    if (version < u.bumpedAt && sources.some((s) => u.pattern.test(s))) {
      throw new ArchiveError(`archive version ${version} uses ${u.op}, whose behaviour changed in version ${u.bumpedAt}; re-save it with a current PyTorch`);
    }
  }
}

function unpickleRecord(zip: ZipReader, name: string): unknown {
  return unpickle(zip.read(name), torchUnpickleOptions());
}

function toArray(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw new ArchiveError(`${what} does not hold a tuple`);
  return x;
}

/** Converts unpickled values to runtime values, copying each storage into the engine once. */
class Storages {
  private readonly bases = new Map<string, Tensor>();
  private readonly memo = new Map<object, unknown>();
  private readonly views: Tensor[] = [];

  constructor(private readonly zip: ZipReader, private readonly rec: (n: string) => string) {}

  /** Views keep their storage alive; the flat base tensors are dropped after loading. */
  releaseBases(): void {
    for (const t of this.bases.values()) t.dispose();
  }

  /** A load that failed frees the views it made (nothing else holds them). */
  releaseViews(): void {
    for (const t of this.views) t.dispose();
  }

  convert(x: unknown, unit: CompilationUnit | null): unknown {
    if (x === null || typeof x === 'string' || typeof x === 'boolean' || typeof x === 'number') return x;
    if (typeof x === 'bigint') return Number(x);
    if (x instanceof PyFloat) return x.value;
    if (typeof x !== 'object') throw new ArchiveError(`unexpected ${typeof x} in pickle`);
    const hit = this.memo.get(x);
    if (hit !== undefined) return hit;
    let out: unknown;
    if (isTensorRef(x)) out = this.tensor(x);
    else if (isDeviceRef(x)) out = x.device;
    else if (Array.isArray(x)) {
      const arr: unknown[] = [];
      this.memo.set(x, arr);
      for (const y of x) arr.push(this.convert(y, unit));
      return arr;
    } else if (x instanceof Map) {
      const m = new Map();
      this.memo.set(x, m);
      x.forEach((v, k) => m.set(this.convert(k, unit), this.convert(v, unit)));
      return m;
    } else if (x instanceof PyObject) return this.object(x, unit);
    else throw new ArchiveError('unexpected value in pickle');
    this.memo.set(x, out);
    return out;
  }

  private object(x: PyObject, unit: CompilationUnit | null): ScriptObject {
    if (!unit) throw new ArchiveError(`object of class ${x.__class__} in the constant table`);
    const cls = unit.getClass(x.__class__);
    if (!cls) throw new ArchiveError(`class ${x.__class__} is not defined in the archive's code/`);
    const obj = createObject(cls);
    this.memo.set(x, obj);
    const state = this.convert(x.state ?? null, unit);
    if (cls.method('__setstate__')) {
      obj.callMethod('__setstate__', state);
    } else if (state instanceof Map) {
      state.forEach((v, k) => obj.setattr(String(k), v));
    } else {
      throw new ArchiveError(`object of class ${x.__class__} has no attribute dict`);
    }
    return obj;
  }

  private tensor(r: TensorRef): Tensor {
    const st = r.storage;
    if (!isDType(st.dtype)) throw new ArchiveError(`storage data/${st.key} has dtype ${st.dtype}, which is not supported`);
    let base = this.bases.get(st.key);
    if (!base) {
      const name = this.rec(`data/${st.key}`);
      if (!this.zip.has(name)) throw new ArchiveError(`storage record data/${st.key} is missing`);
      const nbytes = st.numel * DTYPE_ITEMSIZE[st.dtype];
      const data = this.zip.read(name);
      if (data.length < nbytes) throw new ArchiveError(`storage data/${st.key} holds ${data.length} bytes, expected ${nbytes} (${st.numel} x ${st.dtype})`);
      base = Tensor.empty([st.numel], st.dtype);
      engine().u8.set(data.subarray(0, nbytes), base.ptr);
      this.bases.set(st.key, base);
    }
    let extent = r.offset;
    for (let i = 0; i < r.size.length; i++) {
      if (r.size[i] === 0) { extent = r.offset - 1; break; }
      if (r.stride[i] < 0) throw new ArchiveError(`tensor on data/${st.key} has a negative stride`);
      extent += (r.size[i] - 1) * r.stride[i];
    }
    if (r.offset < 0 || extent >= Math.max(st.numel, r.offset + 1) && r.size.every((d) => d > 0)) {
      throw new ArchiveError(`tensor of size [${r.size.join(', ')}] at offset ${r.offset} runs past storage data/${st.key} (${st.numel} elements)`);
    }
    const t = base.asStrided(r.size, r.stride, r.offset);
    this.views.push(t);
    t.requiresGrad = r.requiresGrad;
    return t;
  }
}
