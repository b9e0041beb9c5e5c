// The packaged library: the ESM bundle imported in Node runs ops and loads a model, imports no
// Node built-ins statically, and the package's exports point at files that exist.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const bundle = 'dist/torchwick.mjs';

test('package.json exports, module, browser and types point at built files', () => {
  const root = pkg.exports['.'];
  for (const path of [root.types, root.node, root.browser, root.import, root.default, pkg.module, pkg.browser, pkg.types, pkg.exports['./torchwick.wasm'], pkg.exports['./torchwick.js']]) {
    assert.ok(existsSync(path), `${path} is missing (npm run build)`);
  }
});

test('the bundles never import Node built-ins statically', () => {
  for (const file of [bundle, 'dist/torchwick.js']) {
    const src = readFileSync(file, 'utf8');
    assert.not.match(src, /^\s*import\s[^;]*from\s*['"](node:)?(fs|path|url|module|os|zlib|child_process)['"]/m, file);
    assert.not.match(src, /\brequire\(['"](node:)?fs['"]\)/, file);
  }
});

test('the ESM bundle runs an op and a TorchScript model in Node', async () => {
  const tw = await import(`../../../../${bundle}`);
  await tw.init();
  const y = tw.torch.sigmoid(tw.tensor([[0, 2], [-2, 0]]));
  assert.equal(y.shape, [2, 2]);
  const v = Array.from(y.dataSync() as Float32Array);
  assert.ok(Math.abs(v[0] - 0.5) < 1e-6 && Math.abs(v[1] - 0.8807970779778823) < 1e-6, String(v));
  const m = await tw.jit.load(readFileSync('../shared/fixtures/torchscript/loop_traced.pt'));
  const x = tw.tensor([2, -1, 0.5]);
  assert.equal(Array.from(m.forward(x).dataSync() as Float32Array), [2 ** 32, 1, 0.5 ** 32]);
});

test('init explains a wrong .wasm response (HTML instead of the engine)', async () => {
  const tw = await import(`../../../../${bundle}`);
  const html = new Response('<!DOCTYPE html><p>not found</p>', { headers: { 'content-type': 'text/html' } });
  try {
    await tw.init(html);
    assert.unreachable('init accepted HTML');
  } catch (e) {
    assert.is((e as Error).name, 'EngineError');
    assert.match((e as Error).message, /found 3c 21 44 4f \(the server sent HTML/);
  }
});

test.run();
