import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { jit, ArchiveError, ScriptModule, TorchScriptSyntaxError } from '../../src/jit/index.js';
import { readZip, writeZip, ZipError } from '../../src/serialize/index.js';
import { Tensor } from '../../src/sdk/tensor.js';

const DIR = '../shared/fixtures/torchscript/';
const bytesOf = (name: string) => new Uint8Array(readFileSync(`${DIR}${name}.pt`));
const manifest = JSON.parse(readFileSync(`${DIR}manifest.json`, 'utf8')) as { cases: { name: string }[] };

/** The archive with some records replaced (or removed when the new content is null). */
function patched(name: string, edits: Record<string, string | Uint8Array | null>): Uint8Array {
  const zip = readZip(bytesOf(name));
  const entries = zip.names().flatMap((n) => {
    const rel = n.slice(n.indexOf('/') + 1);
    if (!(rel in edits)) return [{ name: n, data: zip.read(n) }];
    const e = edits[rel];
    return e === null ? [] : [{ name: n, data: typeof e === 'string' ? new TextEncoder().encode(e) : e }];
  });
  return writeZip(entries);
}

for (const { name } of manifest.cases) {
  test(`loads ${name}`, () => {
    const m = jit.loadBytes(bytesOf(name));
    assert.instance(m, ScriptModule);
    assert.type(m.code, 'string');
    assert.ok(m.code.startsWith('def forward'));
  });
}

test('module API: parameters, state_dict, train/eval, children, graph', () => {
  const m = jit.loadBytes(bytesOf('control_flow_scripted'));
  assert.equal(m.named_parameters().map(([n]) => n), ['lin.weight', 'lin.bias']);
  assert.equal([...m.state_dict().keys()], ['lin.weight', 'lin.bias']);
  assert.equal(m.state_dict().get('lin.weight')!.shape, [16, 16]);
  assert.is(m.children().length, 1);
  assert.equal(m.named_modules().map(([n]) => n), ['', 'lin']);
  m.eval();
  assert.is(m.training, false);
  assert.is(m.children()[0].training, false);
  m.train();
  assert.is(m.children()[0].training, true);
  assert.match(m.graph, /prim::CallMethod\[name="forward"\]/);
  assert.match(m.graph, /aten::append/);
});

test('shared storages stay shared and loading is async-capable', async () => {
  const m = await jit.load(bytesOf('transformer_net_scripted'));
  const params = m.parameters();
  assert.ok(params.length > 10);
  assert.ok(params.every((p) => p instanceof Tensor));
  const m2 = await jit.load(`${DIR}loop_scripted.pt`);
  assert.instance(m2, ScriptModule);
});

test('bad archives give typed errors', () => {
  assert.throws(() => jit.loadBytes(new Uint8Array([1, 2, 3, 4])), (e: Error) => e instanceof ZipError);
  assert.throws(() => jit.loadBytes(patched('loop_scripted', { version: '99' })), (e: Error) => e instanceof ArchiveError && /version 99/.test(e.message));
  assert.throws(() => jit.loadBytes(patched('loop_scripted', { version: null })), (e: Error) => e instanceof ArchiveError && /version/.test(e.message));
  assert.throws(() => jit.loadBytes(patched('loop_scripted', { 'constants.pkl': null })), (e: Error) => e instanceof ArchiveError && /constants\.pkl/.test(e.message));
  assert.throws(() => jit.loadBytes(patched('loop_scripted', { 'code/__torch__.py': 'class PlaceholderModule(Module):\n  def forward(self, x:\n' })), (e: Error) => e instanceof TorchScriptSyntaxError);
  assert.throws(() => jit.loadBytes(patched('control_flow_scripted', { 'data/0': new Uint8Array(8) })), (e: Error) => e instanceof ArchiveError && /data\/0/.test(e.message));
  const flat = writeZip([{ name: 'version', data: new TextEncoder().encode('3') }]);
  assert.throws(() => jit.loadBytes(flat), (e: Error) => e instanceof ArchiveError && /subdirectory/.test(e.message));
});

test('old archives using ops whose meaning changed are refused', () => {
  const code = 'class PlaceholderModule(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n  def forward(self: __torch__.PlaceholderModule,\n    x: Tensor) -> Tensor:\n    return torch.div(x, x)\n';
  assert.throws(() => jit.loadBytes(patched('loop_scripted', { version: '3', 'code/__torch__.py': code })), (e: Error) => e instanceof ArchiveError && /aten::div/.test(e.message));
});

test.run();
