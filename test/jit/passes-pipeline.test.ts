import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGraph } from '../../src/jit/graph-parser.js';
import { printGraph } from '../../src/jit/printer.js';
import { optimize } from '../../src/jit/pipeline.js';

const SRC = `graph(%x : Float(3)):
  %one : int = prim::Constant[value=1]()
  %a : Float(3) = aten::mul(%x, %one)
  %b : Float(3) = aten::neg(%x)
  %c : Float(3) = aten::neg(%x)
  %d : Float(3) = aten::add(%a, %b, %one)
  %e : Float(3) = aten::exp(%c)
  %unused : Float(3) = aten::exp(%d)
  return (%d, %e)
`;

function withEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, vars);
  try { return fn(); } finally { for (const [k, v] of saved) if (v === undefined) delete process.env[k]; else process.env[k] = v; }
}

test('the pipeline runs peephole, CSE and DCE in order', () => {
  const out = printGraph(optimize(parseGraph(SRC)));
  assert.ok(!out.includes('aten::mul'));
  assert.is(out.split('aten::exp').length - 1, 1);
  assert.is(out.split('aten::neg').length - 1, 1);
});

test('JIT_OPT_LIMIT=name=0 skips a pass and JIT_LOG=name prints the graph after it', () => {
  const logged: string[] = [];
  const orig = console.error;
  console.error = (s: string) => { logged.push(s); };
  let out: string;
  try {
    out = withEnv({ JIT_OPT_LIMIT: 'peephole=0,cse=0', JIT_LOG: 'dce' }, () => printGraph(optimize(parseGraph(SRC))));
  } finally {
    console.error = orig;
  }
  assert.ok(out.includes('aten::mul'));
  assert.is(out.split('aten::neg').length - 1, 2);
  assert.is(logged.length, 1);
  assert.ok(logged[0].startsWith('[JIT_LOG] after dce:'));
});

test.run();
