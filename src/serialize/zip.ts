// Zip container: a central-directory reader (stored + deflate, ZIP64, CRC-checked) and a writer that lays
// stored records out 64-byte aligned like PyTorch's PyTorchStreamWriter (caffe2/serialize/inline_container.cc).

import { crc32 } from './crc32.js';
import { deflateRaw } from './deflate.js';
import { ZipError } from './errors.js';
import { inflateRaw } from './inflate.js';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const EOCD_SIZE = 22;
const ZIP64_EXTRA_ID = 0x0001;
/** PyTorch's padding extra-field id: the bytes 'F','B' (inline_container.cc getPadding). */
const PADDING_EXTRA_ID = 0x4246;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;
/** Largest value a 32-bit zip field holds without switching to ZIP64. */
const U32_LIMIT = 0xffffffff;

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

function u64(view: DataView, at: number, what: string): number {
  const v = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  if (!Number.isSafeInteger(v)) throw new ZipError(`zip: ${what} ${v} is too large`);
  return v;
}

export class ZipReader {
  private readonly entries = new Map<string, Entry>();
  private readonly verified = new Set<string>();

  constructor(private readonly bytes: Uint8Array) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const eocd = findEndRecord(view);
    let count = view.getUint16(eocd + 10, true);
    let cdSize = view.getUint32(eocd + 12, true);
    let cdOffset = view.getUint32(eocd + 16, true);
    const loc = eocd - 20;
    if (loc >= 0 && view.getUint32(loc, true) === SIG_ZIP64_LOCATOR) {
      const z = u64(view, loc + 8, 'ZIP64 end record offset');
      if (z + 56 > loc || view.getUint32(z, true) !== SIG_ZIP64_EOCD) {
        throw new ZipError(`zip: bad ZIP64 end of central directory record at byte ${z}`);
      }
      count = u64(view, z + 32, 'entry count');
      cdSize = u64(view, z + 40, 'central directory size');
      cdOffset = u64(view, z + 48, 'central directory offset');
    }
    if (cdOffset + cdSize > bytes.length) {
      throw new ZipError(`zip: central directory (${cdSize} bytes at ${cdOffset}) runs past the end (${bytes.length})`);
    }
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      const entry = readCentralEntry(view, p, cdOffset + cdSize);
      p = entry.next;
      if (!this.entries.has(entry.entry.name)) this.entries.set(entry.entry.name, entry.entry);
    }
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Uncompressed size of an entry, from the central directory. */
  size(name: string): number {
    return this.entry(name).size;
  }

  /**
   * The entry's bytes, CRC-checked. Stored entries come back as a view into the archive (no copy), so
   * PyTorch's 64-byte aligned records stay aligned when the archive buffer is.
   */
  read(name: string): Uint8Array {
    const e = this.entry(name);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = e.localOffset;
    if (at + LOCAL_HEADER_SIZE > this.bytes.length || view.getUint32(at, true) !== SIG_LOCAL) {
      throw new ZipError(`zip: entry '${name}' has no local header at byte ${at}`);
    }
    const start = at + LOCAL_HEADER_SIZE + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    if (start + e.compressedSize > this.bytes.length) {
      throw new ZipError(`zip: entry '${name}' data (${e.compressedSize} bytes at ${start}) runs past the end`);
    }
    const raw = this.bytes.subarray(start, start + e.compressedSize);
    let data: Uint8Array;
    if (e.method === METHOD_STORED) {
      if (e.compressedSize !== e.size) throw new ZipError(`zip: stored entry '${name}' has mismatched sizes`);
      data = raw;
    } else {
      try {
        data = inflateRaw(raw, e.size);
      } catch (err) {
        throw err instanceof ZipError ? new ZipError(`zip: entry '${name}': ${err.message}`) : err;
      }
      if (data.length !== e.size) {
        throw new ZipError(`zip: entry '${name}' inflated to ${data.length} bytes, expected ${e.size}`);
      }
    }
    if (!this.verified.has(name)) {
      const crc = crc32(data);
      if (crc !== e.crc) throw new ZipError(`zip: CRC-32 mismatch in entry '${name}' (${crc} != ${e.crc})`);
      this.verified.add(name);
    }
    return data;
  }

  private entry(name: string): Entry {
    const e = this.entries.get(name);
    if (!e) throw new ZipError(`zip: no entry named '${name}'`);
    return e;
  }
}

function findEndRecord(view: DataView): number {
  const min = Math.max(0, view.byteLength - EOCD_SIZE - 0xffff);
  for (let p = view.byteLength - EOCD_SIZE; p >= min; p--) {
    if (view.getUint32(p, true) === SIG_EOCD && p + EOCD_SIZE + view.getUint16(p + 20, true) <= view.byteLength) {
      return p;
    }
  }
  throw new ZipError(`zip: no end of central directory record (not a zip file, ${view.byteLength} bytes)`);
}

function readCentralEntry(view: DataView, p: number, end: number): { entry: Entry; next: number } {
  if (p + CENTRAL_HEADER_SIZE > end || view.getUint32(p, true) !== SIG_CENTRAL) {
    throw new ZipError(`zip: bad central directory header at byte ${p}`);
  }
  const flags = view.getUint16(p + 8, true);
  const method = view.getUint16(p + 10, true);
  const nameLen = view.getUint16(p + 28, true);
  const extraLen = view.getUint16(p + 30, true);
  const commentLen = view.getUint16(p + 32, true);
  const next = p + CENTRAL_HEADER_SIZE + nameLen + extraLen + commentLen;
  if (next > end) throw new ZipError(`zip: central directory header at byte ${p} runs past the directory`);
  const nameBytes = new Uint8Array(view.buffer, view.byteOffset + p + CENTRAL_HEADER_SIZE, nameLen);
  const entry: Entry = {
    name: utf8.decode(nameBytes),
    method,
    flags,
    crc: view.getUint32(p + 16, true),
    compressedSize: view.getUint32(p + 20, true),
    size: view.getUint32(p + 24, true),
    localOffset: view.getUint32(p + 42, true),
  };
  if (flags & FLAG_ENCRYPTED) throw new ZipError(`zip: entry '${entry.name}' is encrypted`);
  if (method !== METHOD_STORED && method !== METHOD_DEFLATE) {
    throw new ZipError(`zip: entry '${entry.name}' uses unsupported compression method ${method}`);
  }
  readZip64Extra(view, p + CENTRAL_HEADER_SIZE + nameLen, extraLen, entry);
  return { entry, next };
}

/** ZIP64 extra field: 8-byte values for exactly those of size, compressed size, offset that are 0xFFFFFFFF. */
function readZip64Extra(view: DataView, at: number, len: number, e: Entry): void {
  for (let q = at; q + 4 <= at + len;) {
    const id = view.getUint16(q, true);
    const size = view.getUint16(q + 2, true);
    const body = q + 4;
    if (body + size > at + len) throw new ZipError(`zip: extra field of entry '${e.name}' is truncated`);
    if (id === ZIP64_EXTRA_ID) {
      let r = body;
      const take = (what: string) => {
        if (r + 8 > body + size) throw new ZipError(`zip: ZIP64 extra field of entry '${e.name}' lacks ${what}`);
        const v = u64(view, r, what);
        r += 8;
        return v;
      };
      if (e.size === U32_LIMIT) e.size = take('size');
      if (e.compressedSize === U32_LIMIT) e.compressedSize = take('compressed size');
      if (e.localOffset === U32_LIMIT) e.localOffset = take('local header offset');
    }
    q = body + size;
  }
}

export function readZip(bytes: Uint8Array): ZipReader {
  return new ZipReader(bytes);
}

export interface ZipEntryInput {
  name: string;
  data: Uint8Array;
  /** Deflate this entry; PyTorch itself stores records uncompressed. */
  compress?: boolean;
}

export interface ZipWriteOptions {
  /** Data offset alignment for every entry, as PyTorch's kFieldAlignment (default 64; 1 disables padding). */
  align?: number;
}

/**
 * Writes a zip archive readable by Python's zipfile and PyTorch's miniz reader. Sizes and CRCs go in the
 * local headers (no data descriptors); archives that would need ZIP64 (4 GiB or 65535 entries) throw ZipError.
 */
export function writeZip(entries: ZipEntryInput[], opts: ZipWriteOptions = {}): Uint8Array {
  const align = opts.align ?? 64;
  if (!Number.isInteger(align) || align < 1) throw new ZipError(`zip: alignment must be a positive integer, got ${align}`);
  if (entries.length >= 0xffff) throw new ZipError(`zip: ${entries.length} entries need ZIP64, which the writer does not write`);
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const { name, data, compress } of entries) {
    if (seen.has(name)) throw new ZipError(`zip: duplicate entry name '${name}'`);
    seen.add(name);
    const nameBytes = utf8Encoder.encode(name);
    if (nameBytes.length > 0xffff) throw new ZipError(`zip: entry name '${name.slice(0, 40)}...' is too long`);
    const method = compress ? METHOD_DEFLATE : METHOD_STORED;
    const body = compress ? deflateRaw(data) : data;
    const crc = crc32(data);
    // Same padding rule as PyTorch: an 'FB' extra field always present, padded so the data lands aligned.
    const start = offset + LOCAL_HEADER_SIZE + nameBytes.length + 4;
    const pad = align > 1 ? (align - (start % align)) % align : 0;
    const extra = align > 1 ? paddingField(pad) : new Uint8Array(0);
    const flags = /[^\x00-\x7f]/.test(name) ? FLAG_UTF8 : 0;
    const fields = { method, flags, crc, csize: body.length, size: data.length, nameBytes };
    const local = header(SIG_LOCAL, fields, extra, offset);
    if (offset + local.length + body.length >= U32_LIMIT || data.length >= U32_LIMIT) {
      throw new ZipError(`zip: entry '${name}' lies beyond 4 GiB and needs ZIP64, which the writer does not write`);
    }
    chunks.push(local, body);
    central.push(header(SIG_CENTRAL, fields, new Uint8Array(0), offset));
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  if (offset + cdSize >= U32_LIMIT) throw new ZipError('zip: archive exceeds 4 GiB and needs ZIP64');
  const end = new Uint8Array(EOCD_SIZE);
  const v = new DataView(end.buffer);
  v.setUint32(0, SIG_EOCD, true);
  v.setUint16(8, entries.length, true);
  v.setUint16(10, entries.length, true);
  v.setUint32(12, cdSize, true);
  v.setUint32(16, offset, true);
  return concat([...chunks, ...central, end]);
}

interface HeaderFields {
  method: number;
  flags: number;
  crc: number;
  csize: number;
  size: number;
  nameBytes: Uint8Array;
}

/** MS-DOS date 1980-01-01, time 00:00: fixed so archives are reproducible. */
const DOS_DATE = (1 << 5) | 1;
const VERSION = 20;
/** "Made by" Unix (3 << 8): MS-DOS would make unzip reinterpret names as code page 437. */
const MADE_BY = (3 << 8) | VERSION;
/** External attributes: a regular file, rw-r--r-- (Unix mode in the high 16 bits). */
const UNIX_FILE_MODE = (0o100644 << 16) >>> 0;

function header(sig: number, f: HeaderFields, extra: Uint8Array, localOffset: number): Uint8Array {
  const central = sig === SIG_CENTRAL;
  const size = (central ? CENTRAL_HEADER_SIZE : LOCAL_HEADER_SIZE) + f.nameBytes.length + extra.length;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, sig, true);
  // The central header has an extra leading "version made by" field; everything after shifts by 2.
  const o = central ? 2 : 0;
  if (central) v.setUint16(4, MADE_BY, true);
  v.setUint16(4 + o, VERSION, true);
  v.setUint16(6 + o, f.flags, true);
  v.setUint16(8 + o, f.method, true);
  v.setUint16(10 + o, 0, true);
  v.setUint16(12 + o, DOS_DATE, true);
  v.setUint32(14 + o, f.crc, true);
  v.setUint32(18 + o, f.csize, true);
  v.setUint32(22 + o, f.size, true);
  v.setUint16(26 + o, f.nameBytes.length, true);
  v.setUint16(28 + o, extra.length, true);
  if (central) {
    v.setUint32(38, UNIX_FILE_MODE, true);
    v.setUint32(42, localOffset, true);
  }
  const nameAt = central ? CENTRAL_HEADER_SIZE : LOCAL_HEADER_SIZE;
  out.set(f.nameBytes, nameAt);
  out.set(extra, nameAt + f.nameBytes.length);
  return out;
}

function paddingField(pad: number): Uint8Array {
  const f = new Uint8Array(4 + pad).fill(0x5a); // 'Z' filler, as PyTorch writes
  const v = new DataView(f.buffer);
  v.setUint16(0, PADDING_EXTRA_ID, true);
  v.setUint16(2, pad, true);
  return f;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
