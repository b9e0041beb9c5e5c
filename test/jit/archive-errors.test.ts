// Bad archives, each made from a fixture with readZip/writeZip: every one is refused with a typed
// error that says what and where, and nothing an archive names is ever run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jit, ArchiveError, TorchScriptSyntaxError } from '../../src/jit/index.js';
import { readZip, writeZip, pickle, tuple, PickleError, ZipError } from '../../src/serialize/index.js';
import { Op } from '../../src/serialize/pickle-opcodes.js';
import { UnknownOpError } from '../../src/sdk/errors.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';

const DIR = '../shared/fixtures/torchscript/';
const bytesOf = (name: string) => new Uint8Array(readFileSync(`${DIR}${name}.pt`));
const utf8 = new TextEncoder();

/** The fixture with some records (paths inside the top folder) replaced. */
function patched(name: string, edits: Record<string, string | Uint8Array>): Uint8Array {
  const zip = readZip(bytesOf(name));
  return writeZip(zip.names().map((n) => {
    const e = edits[n.slice(n.indexOf('/') + 1)];
    return { name: n, data: e === undefined ? zip.read(n) : typeof e === 'string' ? utf8.encode(e) : e };
  }));
}

function codeOf(name: string, path: string): string {
  return new TextDecoder().decode(readZip(bytesOf(name)).read(`archive/code/${path}`));
}

function throwsTyped(fn: () => unknown, type: abstract new (...a: any[]) => Error, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    assert.instance(e, type, `${(e as Error).name}: ${(e as Error).message}`);
    assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable(`expected ${type.name}`);
}

test('a truncated archive is a ZipError', () => {
  const bytes = bytesOf('loop_scripted');
  for (const n of [0, 10, 100, bytes.length / 2, bytes.length - 1]) {
    throwsTyped(() => jit.loadBytes(bytes.subarray(0, n)), ZipError, /zip/);
  }
});

test('a corrupted record fails its CRC check', () => {
  const bytes = bytesOf('loop_scripted').slice();
  const zip = readZip(bytes);
  const data = zip.read('archive/data.pkl');
  assert.is(data.buffer, bytes.buffer); // a stored record's bytes are a view into the archive
  bytes[data.byteOffset + 20] ^= 0xff;
  throwsTyped(() => jit.loadBytes(bytes), ZipError, /CRC-32 mismatch in entry 'archive\/data.pkl'/);
});

test('wrong magic: not a zip, a broken local header, a legacy pickle', () => {
  throwsTyped(() => jit.loadBytes(utf8.encode('\x89PNG\r\n\x1a\n not an archive at all')), ZipError, /not a zip file/);
  const bytes = bytesOf('loop_scripted').slice();
  bytes[0] = 0x50; bytes[1] = 0x4b; bytes[2] = 0x05; // 'PK\x05' instead of the local header's 'PK\x03\x04'
  throwsTyped(() => jit.loadBytes(bytes), ZipError, /no local header/);
  throwsTyped(() => jit.loadBytes(pickle(tuple([]))), ArchiveError, /legacy torch\.save pickle/);
});

test('an unknown archive version is refused', () => {
  throwsTyped(() => jit.loadBytes(patched('loop_scripted', { version: '99\n' })), ArchiveError, /version 99 is not supported \(supported: 1 to 10\)/);
});

/** PROTO 2; GLOBAL module.name; (arg,); REDUCE; STOP: a pickle that calls module.name(arg). */
function callingPickle(module: string, name: string, arg: string): Uint8Array {
  const a = utf8.encode(arg);
  const len = new Uint8Array(new Uint32Array([a.length]).buffer);
  return Uint8Array.from([Op.PROTO, 2, Op.GLOBAL, ...utf8.encode(`${module}\n${name}\n`), Op.BINUNICODE, ...len, ...a,
    Op.TUPLE1, Op.REDUCE, Op.STOP]);
}

test('globals outside the allowlist are refused, never called', () => {
  const marker = join(tmpdir(), `torchwick-pwned-${process.pid}`);
  const g = globalThis as { __torchwickPwned?: number };
  const cases: [string, string, string][] = [
    ['os', 'system', `touch ${marker}`],
    ['builtins', 'eval', 'globalThis.__torchwickPwned = 1'],
    ['builtins', 'exec', 'globalThis.__torchwickPwned = 1'],
    ['subprocess', 'check_output', `touch ${marker}`],
  ];
  for (const [module, name, arg] of cases) {
    for (const record of ['data.pkl', 'constants.pkl']) {
      const bad = patched('loop_scripted', { [record]: callingPickle(module, name, arg) });
      throwsTyped(() => jit.loadBytes(bad), PickleError, new RegExp(`global '${module}\\.${name}' is not allowed`));
    }
  }
  assert.is(g.__torchwickPwned, undefined);
  assert.not.ok(existsSync(marker));
});

test('a storage whose declared size exceeds its bytes', () => {
  const data0 = readZip(bytesOf('control_flow_scripted')).read('archive/data/0');
  throwsTyped(() => jit.loadBytes(patched('control_flow_scripted', { 'data/0': data0.subarray(0, 100) })), ArchiveError,
    /storage data\/0 holds 100 bytes, expected 1024 \(256 x float32\)/);
});

test('an op unknown to the op table: loading succeeds, running names the op and the code line', () => {
  const path = '__torch__.py';
  const code = codeOf('loop_scripted', path).replace('torch.mul(x0, x0)', 'torch.frobnicate(x0, x0)');
  const line = code.split('\n').findIndex((l) => l.includes('frobnicate')) + 1;
  const m = jit.loadBytes(patched('loop_scripted', { [`code/${path}`]: code }));
  const x = tensorFromNpy(new Uint8Array(readFileSync(`${DIR}loop_scripted.input0.npy`)));
  const col = code.split('\n')[line - 1].indexOf('torch.frobnicate') + 1;
  throwsTyped(() => m.forward(x), UnknownOpError, new RegExp(`'aten::frobnicate' \\(at code/__torch__\\.py:${line}:${col}\\)`));
});

test('a syntax error in code/ names the file, line and column', () => {
  const path = 'torch/nn/modules/linear.py';
  const lines = codeOf('control_flow_scripted', `__torch__/${path}`).split('\n');
  const at = lines.findIndex((l) => l.includes('bias = self.bias'));
  lines[at] = lines[at].replace('bias = self.bias', 'bias = = self.bias');
  const bad = patched('control_flow_scripted', { [`code/__torch__/${path}`]: lines.join('\n') });
  try {
    jit.loadBytes(bad);
    assert.unreachable('loaded code with a syntax error');
  } catch (e) {
    assert.instance(e, TorchScriptSyntaxError);
    const err = e as TorchScriptSyntaxError;
    assert.is(err.file, `code/__torch__/${path}`);
    assert.is(err.line, at + 1);
    assert.is(err.column, lines[at].indexOf('= =') + 3);
    assert.match(err.message, new RegExp(`^code/__torch__/${path}:${at + 1}:\\d+: `));
  }
});

test.run();
