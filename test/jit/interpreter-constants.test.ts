// The interpreter evaluates a graph's constants once and shares them between runs: constants used
// in a loop body must survive every trip, lists must stay fresh per run (an op may mutate them),
// and tensor constants must be the same tensor each run without being freed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jit } from '../../src/jit/index.js';
import { tensor } from '../../src/sdk/creation.js';
import { engine } from '../../src/engine/engine.js';
import '../../src/sdk/torch.js';

const src = (lines: string[]) => lines.join('\n') + '\n';

test('constants in a loop body survive every trip and every call', () => {
  const { f } = jit.compile(src([
    'def f(n: int) -> int:',
    '    s = 0',
    '    for i in range(n):',
    '        s = s + 3',
    '        if i > 100:',
    '            s = s - 1',
    '    return s',
  ]));
  assert.is(f(5), 15);
  assert.is(f(7), 21);
});

test('a list the function builds and mutates starts fresh on each call', () => {
  const { f } = jit.compile(src([
    'def f(k: int) -> List[int]:',
    '    xs = [1, 2]',
    '    xs.append(k)',
    '    return xs',
  ]));
  assert.equal(f(3), [1, 2, 3]);
  assert.equal(f(4), [1, 2, 4]);
});

test('tensor arguments and results: repeated calls free what they create', () => {
  const { f } = jit.compile(src([
    'def f(x: Tensor) -> Tensor:',
    '    for i in range(3):',
    '        x = x * 2.0 + 1.0',
    '    return x',
  ]));
  const x = tensor([1, 2], 'float32');
  f(x).dispose();
  const live = engine().stats().blocksLive;
  for (let i = 0; i < 3; i++) {
    const y = f(x);
    assert.equal(y.toArray(), [15, 23]);
    y.dispose();
  }
  assert.is(engine().stats().blocksLive, live);
});

test.run();
