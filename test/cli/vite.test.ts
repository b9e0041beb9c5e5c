// A tiny app built with Vite that imports 'torchwick' the way users do: the build must resolve the
// package's browser entry and emit the engine (.wasm) as an asset it references.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

test('vite build of an app importing torchwick emits and references torchwick.wasm', async () => {
  const app = mkdtempSync(join(tmpdir(), 'torchwick-vite-'));
  try {
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(resolve('.'), join(app, 'node_modules/torchwick'), 'dir');
    writeFileSync(join(app, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
    writeFileSync(join(app, 'main.js'), "import { init, torch } from 'torchwick';\nawait init();\ndocument.body.textContent = torch.ones([2]).toString();\n");
    const { build } = await import('vite');
    await build({ root: app, logLevel: 'silent', build: { outDir: 'dist', target: 'es2022' }, configFile: false });
    const assets = readdirSync(join(app, 'dist/assets'));
    const wasm = assets.find((f) => /^torchwick-.*\.wasm$/.test(f));
    assert.ok(wasm, `no torchwick.wasm among ${assets.join(', ')}`);
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8')).join('\n');
    assert.ok(js.includes(wasm!), 'the built JS does not reference the emitted wasm');
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});

test.run();
