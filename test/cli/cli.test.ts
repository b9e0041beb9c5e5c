// The `torchwick` command line, spawned as users run it: outputs against PyTorch's fixtures, and
// every user mistake as one line on stderr with exit code 2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pngjs from 'pngjs';
import { readNpy } from '../../src/serialize/npy.js';
import { readZip, writeZip } from '../../src/serialize/zip.js';

const FIX = '../shared/fixtures/torchscript';
const tmp = mkdtempSync(join(tmpdir(), 'torchwick-cli-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/torchwick.js', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Exit code 2 and exactly one line on stderr that matches `re`. */
function expectUsageError(r: ReturnType<typeof cli>, re: RegExp) {
  assert.is(r.code, 2, r.err);
  const lines = r.err.trim().split('\n');
  assert.is(lines.length, 1, r.err);
  assert.match(lines[0], re);
}

/** An output .npy against PyTorch's, within the pointwise tolerance. */
function expectNpyClose(got: string, want: string) {
  const a = readNpy(readFileSync(got)), b = readNpy(readFileSync(want));
  assert.equal(a.shape, b.shape);
  const x = a.data as Float32Array, y = b.data as Float32Array;
  for (let i = 0; i < y.length; i++) {
    if (!(x[i] === y[i] || Math.abs(x[i] - y[i]) <= 1e-5 + 1.3e-6 * Math.abs(y[i]) || (Number.isNaN(x[i]) && Number.isNaN(y[i])))) {
      assert.unreachable(`${got}[${i}] = ${x[i]}, PyTorch: ${y[i]}`);
    }
  }
}

const inputs = (name: string, n: number) => Array.from({ length: n }, (_, i) => ['--input', `${FIX}/${name}.input${i}.npy`]).flat();

test('--help lists the commands; each command has --help', () => {
  const r = cli('--help');
  assert.is(r.code, 0);
  for (const c of ['run', 'info', 'graph', 'bench']) {
    assert.match(r.out, new RegExp(`\\n  ${c} `));
    const h = cli(c, '--help');
    assert.is(h.code, 0, h.err);
    assert.match(h.out, `usage: torchwick ${c}`);
  }
});

test('run writes output0.npy equal to PyTorch\'s and prints load and run times', () => {
  const out = join(tmp, 'loop');
  const r = cli('run', `${FIX}/loop_traced.pt`, ...inputs('loop_traced', 1), '--out', out);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^load: [\d.]+ ms/m);
  assert.match(r.out, /^run: [\d.]+ ms/m);
  expectNpyClose(join(out, 'output0.npy'), `${FIX}/loop_traced.output0.npy`);
});

test('run passes eight tensor inputs in order (iou_traced)', () => {
  const out = join(tmp, 'iou');
  const r = cli('run', `${FIX}/iou_traced.pt`, ...inputs('iou_traced', 8), '--out', out);
  assert.is(r.code, 0, r.err);
  expectNpyClose(join(out, 'output0.npy'), `${FIX}/iou_traced.output0.npy`);
});

test('run passes --arg values in command-line order (control_flow_scripted, n=3)', () => {
  const out = join(tmp, 'cf');
  const r = cli('run', `${FIX}/control_flow_scripted.pt`, ...inputs('control_flow_scripted', 1), '--arg', '3', '--out', out);
  assert.is(r.code, 0, r.err);
  expectNpyClose(join(out, 'output0.npy'), `${FIX}/control_flow_scripted.output0.npy`);
});

test('run --image decodes PNG and JPEG and writes a PNG of the output size', () => {
  for (const [img, w, h] of [['demos/web/photo.png', 128, 84], ['demos/models/chelsea.jpg', 451, 300]] as const) {
    const out = join(tmp, 'out.png');
    const r = cli('run', `${FIX}/loop_traced.pt`, '--image', img, '--range', '0-1', '--out', out);
    assert.is(r.code, 0, r.err);
    const png = pngjs.PNG.sync.read(readFileSync(out));
    assert.equal([png.width, png.height], [w, h]);
  }
});

test('info lists classes, ops and their support', () => {
  const r = cli('info', `${FIX}/control_flow_scripted.pt`);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /archive: .*control_flow_scripted\.pt, \d+ bytes/);
  assert.match(r.out, 'lin.weight: parameter float32 [16, 16]');
  assert.match(r.out, /aten::linear x1/);
  assert.match(r.out, /0 unsupported/);
});

test('graph prints the IR after passes, and before them with --before-passes', () => {
  const after = cli('graph', `${FIX}/iou_scripted.pt`);
  const before = cli('graph', `${FIX}/iou_scripted.pt`, '--before-passes');
  assert.is(after.code, 0, after.err);
  assert.ok(after.out.startsWith('graph(%self : __torch__.PlaceholderModule,'));
  assert.match(before.out, /aten::clamp/);
  // The passes fold the repeated `prim::Constant[value=1]()` nodes (CSE).
  const constants = (s: string) => s.split('\n').filter((l) => l.includes('prim::Constant[value=1]')).length;
  assert.ok(constants(after.out) < constants(before.out), after.out);
});

test('bench prints first run and steady-state min/median/max', () => {
  const r = cli('bench', `${FIX}/loop_traced.pt`, ...inputs('loop_traced', 1), '--runs', '3', '--json');
  assert.is(r.code, 0, r.err);
  const j = JSON.parse(r.out.trim().split('\n').at(-1)!);
  assert.is(j.runs, 3);
  for (const k of ['load_ms', 'first_ms', 'min_ms', 'median_ms', 'max_ms']) assert.type(j[k], 'number');
  assert.ok(j.min_ms <= j.median_ms && j.median_ms <= j.max_ms);
});

test('errors: missing model, missing option, unknown option and command', () => {
  expectUsageError(cli('run', join(tmp, 'nope.pt'), '--out', tmp), /model '.*nope\.pt' does not exist/);
  expectUsageError(cli('run', `${FIX}/loop_traced.pt`), /--out is required/);
  expectUsageError(cli('info', `${FIX}/loop_traced.pt`, '--bogus'), /unknown option '--bogus'/);
  expectUsageError(cli('frobnicate'), /unknown command 'frobnicate'/);
});

test('errors: an --image that is not an image', () => {
  expectUsageError(cli('run', `${FIX}/loop_traced.pt`, '--image', `${FIX}/loop_traced.input0.npy`, '--out', join(tmp, 'x.png')),
    /is not a PNG or JPEG image/);
});

test('errors: unsupported ops are listed by name before anything runs', () => {
  const zip = readZip(readFileSync(`${FIX}/loop_traced.pt`));
  const entries = zip.names().map((name) => {
    const data = zip.read(name);
    if (!name.endsWith('.py')) return { name, data };
    return { name, data: new TextEncoder().encode(new TextDecoder().decode(data).replace('torch.mul(x, x)', 'torch.cholesky(x)')) };
  });
  const model = join(tmp, 'unsupported.pt');
  writeFileSync(model, writeZip(entries));
  const out = join(tmp, 'never');
  const r = cli('run', model, ...inputs('loop_traced', 1), '--out', out);
  expectUsageError(r, /does not support: aten::cholesky$/);
  assert.not.match(r.out, /^run:/m);
  assert.match(cli('info', model).out, /! aten::cholesky x1/);
});

test('errors: a corrupt engine (.wasm) is one line, not a crash', () => {
  const wasm = join(tmp, 'corrupt.wasm');
  writeFileSync(wasm, '<!DOCTYPE html><html></html>');
  expectUsageError(cli('--wasm', wasm, 'demo'), /EngineError: .*not a WebAssembly module.*found 3c 21 44 4f/);
  writeFileSync(wasm, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0xff, 0xff]));
  expectUsageError(cli('--wasm', wasm, 'demo'), /EngineError: cannot instantiate torchwick\.wasm/);
});

test.run();
