import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import type { Tensor } from '../../src/sdk/tensor.js';
import { trace } from '../../src/jit/trace/trace.js';
import { planMemory } from '../../src/jit/passes/plan-memory.js';

test('intermediates whose lifetimes do not overlap share buffers; outputs and views are not planned', () => {
  const f = trace((x: Tensor) => x.exp().add(1).mul(2).sub(3).neg(), [torch.ones([4, 8])], { optimize: false });
  const plan = planMemory(f.graph);
  const planned = [...plan.slot.keys()].map((v) => v.node().kind);
  assert.equal(planned, ['aten::exp', 'aten::add', 'aten::mul', 'aten::sub']);
  assert.equal(plan.buffers, [128, 128], 'two buffers alternate along a chain');
  const slots = [...plan.slot.values()];
  for (let i = 1; i < slots.length; i++) assert.is.not(slots[i], slots[i - 1], 'an op never writes over its own input');
});

test('a value read later keeps its buffer busy; values in containers and views of planned values are respected', () => {
  const f = trace((x: Tensor) => {
    const a = x.exp();
    const v = a.view([32]);
    const b = x.neg();
    const c = b.abs();
    return [c.add(v.view([4, 8])), torch.stack([b, b], 0)];
  }, [torch.ones([4, 8])], { optimize: false });
  const plan = planMemory(f.graph);
  const byKind = new Map([...plan.slot].map(([v, s]) => [v.node().kind, s]));
  assert.ok(!byKind.has('aten::neg'), 'b goes into a list: it escapes');
  assert.ok(byKind.has('aten::exp') && byKind.has('aten::abs'));
  assert.is.not(byKind.get('aten::exp'), byKind.get('aten::abs'), 'a is alive through its view until the add');
});

test.run();
