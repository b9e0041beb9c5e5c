// The README's JavaScript examples run as written (importing the built package).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const readme = readFileSync('README.md', 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
const entry = resolve('build/js/src/index.js');

test('the README has JavaScript examples', () => {
  assert.ok(blocks.length >= 3);
});

blocks.forEach((code, i) => {
  test(`README example ${i + 1} runs`, () => {
    mkdirSync('build/readme', { recursive: true });
    const file = resolve(`build/readme/example${i + 1}.mjs`);
    writeFileSync(file, code.replaceAll("from 'torchwick'", `from '${entry}'`));
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
  });
});

test.run();
