// docs/ops.md lists exactly what the op table holds (regenerate with `npm run docs:ops`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { opsMarkdown } from '../tools/ops-markdown.js';

test('docs/ops.md is generated from the current op table', () => {
  assert.is(readFileSync('docs/ops.md', 'utf8'), opsMarkdown(), 'run `npm run docs:ops`');
});

test.run();
