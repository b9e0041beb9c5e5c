// NumPy .npy (format versions 1.0, 2.0, 3.0) and .npz (a zip of .npy files) for little-endian arrays.

import { NpyError } from './errors.js';
import { readZip } from './zip.js';

export type NpyDType = '<f4' | '<f8' | '<i8' | '<i4' | '<i2' | '|i1' | '|u1' | '|b1';

export interface NpyArray {
  dtype: NpyDType;
  shape: number[];
  /** Always C (row-major) order; `|b1` is a Uint8Array of 0/1, `<i8` a BigInt64Array. */
  data: ArrayBufferView;
  /** The file's layout: Fortran-order files are transposed to C order on read. */
  fortranOrder: boolean;
}

type TypedArrayCtor = {
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): ArrayBufferView & { length: number };
  BYTES_PER_ELEMENT: number;
};

const DTYPES: Record<NpyDType, TypedArrayCtor> = {
  '<f4': Float32Array,
  '<f8': Float64Array,
  '<i8': BigInt64Array,
  '<i4': Int32Array,
  '<i2': Int16Array,
  '|i1': Int8Array,
  '|u1': Uint8Array,
  '|b1': Uint8Array,
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy pads headers so the data starts on a 64-byte boundary. */
const HEADER_ALIGN = 64;

function isDType(s: string): s is NpyDType {
  return Object.hasOwn(DTYPES, s);
}

/** Parses the header dict, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. */
function parseHeader(text: string): { dtype: NpyDType; shape: number[]; fortranOrder: boolean } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyError(`npy: malformed header ${JSON.stringify(text.slice(0, 120))}`);
  }
  // numpy writes '<u1'/'<i1'/'<b1' as '|..'; accept '=' or '<' for single bytes too.
  const normalized = /^[<=|]([iub]1)$/.test(descr) ? `|${descr.slice(1)}` : descr.replace(/^=/, '<');
  if (!isDType(normalized)) throw new NpyError(`npy: unsupported dtype '${descr}'`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const n = Number(s.replace(/L$/, ''));
    if (!Number.isSafeInteger(n) || n < 0) throw new NpyError(`npy: bad dimension '${s}' in shape (${shapeText})`);
    return n;
  });
  return { dtype: normalized, shape, fortranOrder: fortran === 'True' };
}

function numelOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Reorders a Fortran-order (column-major) element array into C order. */
function fortranToC<T extends ArrayBufferView & { length: number }>(src: T, shape: number[], ctor: TypedArrayCtor): T {
  const n = src.length;
  const dst = new ctor(new ArrayBuffer(n * ctor.BYTES_PER_ELEMENT)) as unknown as T & Record<number, unknown>;
  const s = src as unknown as Record<number, unknown>;
  const rank = shape.length;
  const fstride: number[] = [];
  for (let d = 0, st = 1; d < rank; d++) {
    fstride.push(st);
    st *= shape[d];
  }
  const idx = new Array<number>(rank).fill(0);
  for (let c = 0, f = 0; c < n; c++) {
    dst[c] = s[f];
    // Advance the C-order multi-index (last dim fastest), tracking the Fortran offset.
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      f += fstride[d];
      if (idx[d] < shape[d]) break;
      f -= fstride[d] * shape[d];
      idx[d] = 0;
    }
  }
  return dst;
}

export function readNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyError('npy: missing \\x93NUMPY magic');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number, headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError('npy: truncated header');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else throw new NpyError(`npy: unsupported format version ${major}.${bytes[7]}`);
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw new NpyError(`npy: header (${headerLen} bytes) runs past the end`);
  // Version 3.0 allows UTF-8 in the header; 1.0/2.0 are latin-1, which only matters for field names we reject.
  const header = parseHeader(new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart)));
  const ctor = DTYPES[header.dtype];
  const numel = numelOf(header.shape);
  const byteLen = numel * ctor.BYTES_PER_ELEMENT;
  if (dataStart + byteLen > bytes.length) {
    throw new NpyError(`npy: ${header.dtype} ${JSON.stringify(header.shape)} needs ${byteLen} data bytes, file has ${bytes.length - dataStart}`);
  }
  // Copy into a fresh buffer: typed arrays need element-aligned offsets, which the file need not
  // give (and a Node Buffer's slice() is a view into a shared pool, not a copy).
  const copy = new Uint8Array(byteLen);
  copy.set(bytes.subarray(dataStart, dataStart + byteLen));
  const buf = copy.buffer;
  let data = new ctor(buf, 0, numel);
  if (header.fortranOrder && header.shape.length > 1) data = fortranToC(data, header.shape, ctor);
  return { dtype: header.dtype, shape: header.shape, data, fortranOrder: header.fortranOrder };
}

export interface NpyInput {
  dtype: NpyDType;
  shape: number[];
  data: ArrayBufferView;
}

/** Writes a version 1.0 .npy in C order, padding the header to 64 bytes as numpy does. */
export function writeNpy(arr: NpyInput): Uint8Array {
  const ctor = DTYPES[arr.dtype];
  if (!ctor) throw new NpyError(`npy: unsupported dtype '${arr.dtype}'`);
  if (!arr.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new NpyError(`npy: bad shape ${JSON.stringify(arr.shape)}`);
  const byteLen = numelOf(arr.shape) * ctor.BYTES_PER_ELEMENT;
  if (arr.data.byteLength !== byteLen) {
    throw new NpyError(`npy: ${arr.dtype} ${JSON.stringify(arr.shape)} needs ${byteLen} data bytes, got ${arr.data.byteLength}`);
  }
  const shape = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let dict = `{'descr': '${arr.dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + dict.length + 1;
  dict += ' '.repeat((HEADER_ALIGN - (unpadded % HEADER_ALIGN)) % HEADER_ALIGN) + '\n';
  if (dict.length > 0xffff) throw new NpyError('npy: header too long for format 1.0');
  const out = new Uint8Array(10 + dict.length + byteLen);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  out.set(new Uint8Array(arr.data.buffer, arr.data.byteOffset, byteLen), 10 + dict.length);
  return out;
}

/** Reads every `<key>.npy` in an .npz (stored or deflated) into a map keyed by `<key>`. */
export function readNpz(bytes: Uint8Array): Map<string, NpyArray> {
  const zip = readZip(bytes);
  const out = new Map<string, NpyArray>();
  for (const name of zip.names()) {
    if (!name.endsWith('.npy')) continue;
    try {
      out.set(name.slice(0, -4), readNpy(zip.read(name)));
    } catch (err) {
      throw err instanceof NpyError ? new NpyError(`npz entry '${name}': ${err.message}`) : err;
    }
  }
  return out;
}
