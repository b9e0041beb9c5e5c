// A short run of every bench (`--quick`): each finishes and ends with its JSON line. Timings are
// never asserted here — speed lives in `npm run bench` (README, Performance).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';

for (const suite of ['pointwise', 'conv', 'models', 'iou', 'iou-backward', 'size']) {
  test(`npm run bench -- ${suite} --quick ends with its JSON line`, () => {
    const r = spawnSync(process.execPath, ['build/js/bench/index.js', suite, '--quick'], { encoding: 'utf8', timeout: 180_000 });
    assert.is(r.status, 0, r.stderr);
    const last = r.stdout.trim().split('\n').pop()!;
    const json = JSON.parse(last);
    assert.is(json.suite, suite);
    assert.ok(json.cases || json.layers || json.wasm_bytes, 'results present');
  });
}

test.run();
