// jit.save: archives torchwick writes load back in torchwick with the same outputs, and (the
// committed outputs in test/fixtures/roundtrip, see its README) in real PyTorch with the fixture outputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { jit, save, script, trace, SaveError, ScriptModule } from '../../src/jit/index.js';
import { readZip } from '../../src/serialize/index.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { torch } from '../../src/index.js';
import { fileCheck } from './filecheck.js';

const FIXTURES = '../shared/fixtures/torchscript/';
const ROUNDTRIP = 'test/fixtures/roundtrip/';
const npy = (path: string) => tensorFromNpy(new Uint8Array(readFileSync(path)));

interface Case { name: string; fixture: string; inputs: ({ npy: string } | number)[] }
const cases = JSON.parse(readFileSync(`${ROUNDTRIP}cases.json`, 'utf8')) as Case[];
const inputsOf = (c: Case) => c.inputs.map((a) => (typeof a === 'number' ? a : npy(FIXTURES + a.npy)));

type Tol = { rtol: number; atol: number } | { relMax: number };
/** README tolerances: pointwise for the small functions, matmul for Linear, whole-network for models. */
function tolerance(fixture: string): Tol {
  if (/^(iou|loop)_/.test(fixture)) return { rtol: 1.3e-6, atol: 1e-5 };
  if (fixture.startsWith('control_flow')) return { rtol: 1e-4, atol: 1e-4 };
  return { relMax: 1e-3 };
}

function assertClose(actual: Tensor, expected: Tensor, tol: Tol, what: string): void {
  assert.equal([...actual.shape], [...expected.shape], `${what}: shape`);
  const a = actual.dataSync(), e = expected.dataSync();
  if ('relMax' in tol) {
    let err = 0, scale = 0;
    for (let i = 0; i < e.length; i++) {
      err = Math.max(err, Math.abs(Number(a[i]) - Number(e[i])));
      scale = Math.max(scale, Math.abs(Number(e[i])));
    }
    assert.ok(err <= tol.relMax * scale, `${what}: max abs error ${err} vs max abs ${scale}`);
    return;
  }
  for (let i = 0; i < e.length; i++) {
    const d = Math.abs(Number(a[i]) - Number(e[i]));
    if (!(d <= tol.atol + tol.rtol * Math.abs(Number(e[i])))) assert.unreachable(`${what}: element ${i}: ${a[i]} vs ${e[i]}`);
  }
}

function assertSame(actual: Tensor, expected: Tensor, what: string): void {
  assert.equal([...actual.shape], [...expected.shape], `${what}: shape`);
  assert.equal(Array.from(actual.dataSync(), Number), Array.from(expected.dataSync(), Number), what);
}

async function talk(): Promise<any> {
  return import(pathToFileURL(resolve('examples/talk.js')).href);
}

/** What tools/roundtrip/save_archives.mjs saved for each case, rebuilt here. */
async function saveCase(c: Case): Promise<{ bytes: Uint8Array; direct?: (...a: unknown[]) => Tensor }> {
  if (!c.name.startsWith('js_')) {
    const m = jit.loadFile(`${FIXTURES}${c.fixture}.pt`);
    if (c.name === 'control_flow_modified') torch.no_grad(() => ((m.getattr('lin') as ScriptModule).getattr('weight') as Tensor).mul_(0.5));
    // The original module runs too, except the large networks (the loader tests cover those).
    return { bytes: m.save(), direct: /net|mobilenet|squeezenet/.test(c.name) ? undefined : (...a) => m.forward(...a) };
  }
  const t = await talk();
  const inputs = inputsOf(c);
  const fn = {
    js_loop_traced: () => trace(t.myfn, inputs),
    js_loop_scripted: () => script(t.scriptFn),
    js_iou_traced: () => trace(t.ratioIou, inputs),
    js_iou_scripted: () => script(t.ratioIouScripted),
  }[c.name]!();
  return { bytes: fn.save(), direct: fn };
}

for (const c of cases) {
  test(`${c.name}: save -> load in torchwick -> same outputs; PyTorch ran the saved archive`, async () => {
    const { bytes, direct } = await saveCase(c);
    const inputs = inputsOf(c);
    const reloaded = jit.loadBytes(bytes);
    const ours = torch.no_grad(() => reloaded.forward(...inputs)) as Tensor;
    const pytorch = npy(`${ROUNDTRIP}${c.name}.output0.npy`);
    const tol = tolerance(c.fixture);
    if (direct) assertSame(ours, torch.no_grad(() => direct(...inputs)), 'saved vs unsaved in torchwick');
    if (c.name !== 'control_flow_modified') {
      const fixture = npy(`${FIXTURES}${c.fixture}.output0.npy`);
      assertClose(ours, fixture, tol, 'torchwick (saved) vs fixture');
      assertClose(pytorch, fixture, tol, 'PyTorch (torchwick-saved archive) vs fixture');
    }
    if (c.name === 'control_flow_modified') {
      // PyTorch saw the halved weight, not the one the fixture was made with.
      const fixture = npy(`${FIXTURES}${c.fixture}.output0.npy`);
      const a = Array.from(pytorch.dataSync(), Number), e = Array.from(fixture.dataSync(), Number);
      assert.ok(a.some((x, i) => Math.abs(x - e[i]) > 0.1));
    }
    assertClose(ours, pytorch, tol, 'torchwick vs PyTorch on the same archive');
  });
}

test('the committed archives (the bytes PyTorch ran) load in torchwick with the same outputs', () => {
  for (const c of cases.filter((k) => !/net|mobilenet|squeezenet/.test(k.name))) {
    const m = jit.loadFile(`${ROUNDTRIP}${c.name}.pt`);
    assertClose(torch.no_grad(() => m.forward(...inputsOf(c))), npy(`${ROUNDTRIP}${c.name}.output0.npy`), tolerance(c.fixture), c.name);
  }
});

test('layout: one folder, 64-byte aligned stored records, version as PyTorch stamps it, data.pkl as PyTorch wrote it', () => {
  for (const name of ['iou_traced', 'loop_scripted', 'control_flow_scripted', 'transformer_net_scripted']) {
    const original = readZip(new Uint8Array(readFileSync(`${FIXTURES}${name}.pt`)));
    const bytes = jit.loadFile(`${FIXTURES}${name}.pt`).save();
    const saved = readZip(bytes);
    for (const rec of ['data.pkl', 'constants.pkl', 'version', '.data/version', 'byteorder', '.data/serialization_id']) {
      assert.ok(saved.has(`archive/${rec}`), `${name}: ${rec}`);
    }
    assert.ok(saved.names().every((n) => n.startsWith('archive/')));
    const text = (z: typeof saved, n: string) => new TextDecoder().decode(z.read(n));
    assert.is(text(saved, 'archive/version'), text(original, 'archive/version'), `${name}: version`);
    assert.is(text(saved, 'archive/.data/version'), text(original, 'archive/version'));
    assert.is(text(saved, 'archive/byteorder'), 'little');
    assert.match(text(saved, 'archive/.data/serialization_id'), /^\d{40}$/);
    assert.equal(saved.read('archive/data.pkl'), original.read('archive/data.pkl'), `${name}: data.pkl`);
    for (const n of original.names().filter((k) => k.includes('/code/') && k.endsWith('.py'))) {
      assert.is(text(saved, n), text(original, n), n);
    }
    for (const n of saved.names()) {
      const data = saved.read(n);
      assert.is((data.byteOffset - bytes.byteOffset) % 64, 0, `${name}: ${n} is 64-byte aligned`);
    }
  }
});

test('saving twice gives the same bytes; storages shared by two attributes are written once', () => {
  const m = jit.loadFile(`${FIXTURES}control_flow_scripted.pt`);
  assert.equal(m.save(), m.save());
  const lin = m.getattr('lin') as ScriptModule;
  const weight = lin.getattr('weight') as Tensor;
  lin.setattr('bias', weight.asStrided([16], [1], 16)); // row 1 of the weight
  const bytes = m.save();
  assert.equal(readZip(bytes).names().filter((n) => n.startsWith('archive/data/')), ['archive/data/0']);
  const back = jit.loadBytes(bytes);
  const lin2 = back.getattr('lin') as ScriptModule;
  assert.equal(Array.from((lin2.getattr('bias') as Tensor).dataSync(), Number), Array.from(weight.dataSync().slice(16, 32), Number));
});

test('ScriptModule.save(path) and save() write the same archive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'torchwick-save-'));
  try {
    const m = jit.loadFile(`${FIXTURES}loop_traced.pt`);
    const bytes = m.save(join(dir, 'loop.pt'));
    assert.equal(new Uint8Array(readFileSync(join(dir, 'loop.pt'))), bytes);
    assert.equal(save(m), bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('values save cannot write give SaveError', () => {
  assert.throws(() => save((() => 1) as any), (e: Error) => e instanceof SaveError);
  const m = jit.loadFile(`${FIXTURES}loop_traced.pt`);
  m.setattr('training', new Set() as any);
  assert.throws(() => m.save(), (e: Error) => e instanceof SaveError && /Set/.test(e.message));
});

test('a counted loop that exits early (break, return) prints as PyTorch\'s while loop and round-trips', () => {
  function sumUntil(xs: number[], limit: number) {
    let total = 0;
    for (let i = 0; i < xs.length; i++) {
      if (total > limit) break;
      total += xs[i] * i;
    }
    return total;
  }
  function firstPair(xs: number[], t: number) {
    for (let i = 0; i < xs.length; i++) {
      for (let j = 0; j < i; j++) if (xs[i] + xs[j] === t) return i * 10 + j;
    }
    return -1;
  }
  const cases: [(xs: number[], t: number) => number, [number[], number][]][] = [
    [sumUntil, [[[1, 2, 3, 4, 5], 3], [[1, 2, 3, 4, 5], 100], [[], 0], [[7], -1]]],
    [firstPair, [[[1, 2, 3, 4], 7], [[1, 2, 3, 4], 3], [[5, 5], 10], [[1, 2], 9], [[], 1]]],
  ];
  for (const [fn, inputs] of cases) {
    const s = script(fn, { types: { xs: 'List[int]', limit: 'int', t: 'int' } });
    // PyTorch's canonicalize_modified_loop: the condition starts as `n > 0` and the body counts.
    fileCheck(s.code, '// CHECK: torch.gt(\n// CHECK: while \n// CHECK: torch.add(\n// CHECK: torch.lt(\n// CHECK: torch.__and__(');
    assert.not.match(s.code, /for \w+ in range/, fn.name);
    const reloaded = jit.loadBytes(s.save());
    for (const [xs, t] of inputs) {
      const want = fn(xs, t);
      assert.is(s(xs, t), want, `${fn.name}(${xs}, ${t}) scripted`);
      assert.is(reloaded.forward(xs, t), want, `${fn.name}(${xs}, ${t}) saved and loaded`);
    }
  }
});

test.run();
