import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { parseSchema, typeText } from '../../src/ops/schema.js';
import { OP_DEFS } from '../../src/ops/index.js';

const SCHEMAS = readFileSync('../shared/fixtures/schemas/schemas.txt', 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));

test('every schema PyTorch registers parses', () => {
  for (const s of SCHEMAS) {
    const p = parseSchema(s);
    assert.ok(p.name.includes('::'), s);
  }
});

test('argument types print back as written', () => {
  const s = parseSchema('aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> Tensor');
  assert.equal(s.args.map((a) => typeText(a.type)), ['Tensor', 'int[2]', 'int[2]', 'int[2]', 'int[2]', 'bool']);
  assert.equal(s.args.map((a) => a.default), [undefined, undefined, [], 0, 1, false]);
  const m = parseSchema('aten::max.dim(Tensor self, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)');
  assert.equal(m.returns.map((r) => r.name), ['values', 'indices']);
  assert.is(parseSchema('aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)').mutates, true);
});

test('every op-table row of a PyTorch namespace is a schema PyTorch registers, written exactly', () => {
  const known = new Set(SCHEMAS);
  // Custom ops (like the talk's super_iou::iou_native) are ours; aten/prim/torchvision are PyTorch's.
  const pytorch = /^(aten|prim|torchvision)::/;
  const unknown = OP_DEFS.map((d) => d.schema).filter((s) => pytorch.test(s) && !known.has(s));
  assert.equal(unknown, []);
});

test.run();
