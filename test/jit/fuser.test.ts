import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch, jit, Tensor, engine } from '../../src/index.js';
import { optimize } from '../../src/jit/pipeline.js';
import { allNodes, SUBGRAPH_ATTR } from '../../src/jit/ir.js';
import { fuserStats, resetFuser, setFuserMode } from '../../src/jit/fuser/launch.js';
import { FuserError } from '../../src/jit/fuser/errors.js';
import { talk } from './trace-helpers.js';
import { FuseBuilder } from '../../src/jit/fuser/program.js';
import { assignRegisters } from '../../src/jit/fuser/template.js';
import * as FOP from '../../assembly/fused/fused-ops.js';

const IOU: string = (await talk()).RATIO_IOU_SOURCE;

/** The function compiled twice: as written (op by op) and after the pipeline (fused). */
function both(src: string, name: string) {
  const plain = jit.compile(src)[name];
  const fused = jit.compile(src)[name];
  optimize(fused.ir);
  return { plain, fused };
}

const groups = (f: { ir: any }) => f.ir.nodes().filter((n: any) => n.kind === 'prim::FusionGroup');
const same = (a: Tensor, b: Tensor) => {
  assert.equal(a.shape, b.shape);
  assert.equal(a.dtype, b.dtype);
  const x = a.dataSync(), y = b.dataSync();
  for (let i = 0; i < x.length; i++) if (!(Object.is(x[i], y[i]) || (x[i] === y[i]))) assert.unreachable(`element ${i}: ${x[i]} != ${y[i]}`);
};
const boxes = (shape: number[]) => Array.from({ length: 8 }, () => torch.randn(shape).exp() as Tensor);

test.before.each(() => {
  resetFuser();
  setFuserMode('codegen');
});

test('the IoU graph fuses into one FusionGroup holding every pointwise op', () => {
  const { plain, fused } = both(IOU, 'ratio_iou');
  const ops = plain.ir.nodes().filter((n: any) => n.kind.startsWith('aten::')).length;
  assert.ok(ops >= 19, `${ops} ops`);
  const gs = groups(fused);
  assert.is(gs.length, 1);
  assert.is(fused.ir.nodes().filter((n: any) => n.kind.startsWith('aten::')).length, 0);
  const sub = gs[0].getAttr(SUBGRAPH_ATTR, 'g');
  // CSE merges the second `wi * hi`; every other op is in the group.
  assert.is(allNodes(sub.block).filter((n) => n.kind.startsWith('aten::')).length, ops - 1);
  assert.match(fused.graph, /%\w+ : Tensor = prim::FusionGroup_0\(%x1, %x2, %y1, %y2, %w1, %w2, %h1, %h2\)/);
  assert.match(fused.graph, /with prim::FusionGroup_0 = graph\(/);
  assert.match(fused.graph, /%area_u : Tensor = aten::sub\(/);
});

test('fused IoU equals the unfused graph bit for bit, generated and template kernels', () => {
  const { plain, fused } = both(IOU, 'ratio_iou');
  for (const shape of [[100, 1000], [1], [3], [4], [5], [2, 7], [0]]) {
    const xs = boxes(shape);
    const ref = plain(...xs);
    for (const mode of ['codegen', 'template'] as const) {
      setFuserMode(mode);
      same(fused(...xs), ref);
    }
  }
  const s = fuserStats();
  assert.ok(s.codegenRuns >= 6 && s.templateRuns >= 6, JSON.stringify(s));
  assert.is(s.unfusedRuns, 0);
});

test('the custom op matches the scripted IoU and runs from TorchScript', () => {
  const { plain } = both(IOU, 'ratio_iou');
  const xs = boxes([37]);
  const ref = plain(...xs);
  const viaTorch = torch.ops.super_iou.iou_native(...xs) as Tensor;
  const max = Math.max(...Array.from(viaTorch.dataSync() as Float32Array, (v, i) => Math.abs(v - (ref.dataSync()[i] as number))));
  assert.ok(max < 1e-6, `max diff ${max}`);
  const scripted = jit.compile('def f(a, b, c, d, e, f_, g, h):\n    return ops.super_iou.iou_native(a, b, c, d, e, f_, g, h)\n').f;
  same(scripted(...xs), viaTorch);
  assert.throws(() => torch.ops.super_iou.iou_native(...xs.slice(0, 7), torch.ones([5])), /not of same shape/);
});

test('kernels are cached by program and layout, not by size', () => {
  const { fused } = both(IOU, 'ratio_iou');
  fused(...boxes([64]));
  assert.is(fuserStats().compiles, 1);
  fused(...boxes([10, 3]));
  fused(...boxes([1000]));
  assert.is(fuserStats().compiles, 1);
  assert.is(fuserStats().cacheHits, 2);
  // A broadcast operand is another layout: one more kernel, then hits again.
  const xs = boxes([6, 5]);
  xs[3] = torch.randn([5]).exp();
  fused(...xs);
  fused(...xs);
  assert.is(fuserStats().compiles, 2);
  assert.is(fuserStats().cacheHits, 3);
});

test('broadcast layouts (row, column, scalar, strided) give the unfused results', () => {
  const src = 'def f(a, b, c):\n    return torch.sigmoid(a * b + c) - torch.tanh(c)\n';
  const { plain, fused } = both(src, 'f');
  assert.is(groups(fused).length, 1);
  const cases: [number[], number[], number[]][] = [
    [[4, 9], [9], [4, 1]], [[4, 9], [], [1, 9]], [[2, 3, 5], [3, 5], [2, 1, 1]], [[2, 3, 5], [2, 3, 1], [5]],
    [[3], [2, 3], [2, 1]], [[1, 1], [6, 1], [1, 2]], [[2, 1, 3], [1, 4, 1], [3]],
  ];
  for (const [sa, sb, sc] of cases) {
    const [a, b, c] = [sa, sb, sc].map((s) => torch.randn(s) as Tensor);
    for (const mode of ['codegen', 'template'] as const) {
      setFuserMode(mode);
      same(fused(a, b, c), plain(a, b, c));
    }
  }
  const t = (torch.randn([5, 4]) as Tensor).transpose(0, 1);
  const b = torch.randn([4, 5]) as Tensor, c = torch.randn([5]) as Tensor;
  same(fused(t, b, c), plain(t, b, c));
  assert.is(fuserStats().unfusedRuns, 0);
});

test('comparisons, where and bool outputs fuse', () => {
  const src = 'def f(a, b):\n    m = a > b\n    y = torch.where(m, a * 2.0, b - 1.0)\n    return y, m, torch.where(a < 0.5, a, 0.25) + y\n';
  const { plain, fused } = both(src, 'f');
  assert.is(groups(fused).length, 1);
  for (const shape of [[10], [3], [2, 9]]) {
    const a = torch.randn(shape) as Tensor, b = torch.randn(shape) as Tensor;
    const want = plain(a, b) as Tensor[];
    for (const mode of ['codegen', 'template'] as const) {
      setFuserMode(mode);
      const got = fused(a, b) as Tensor[];
      want.forEach((w, i) => same(got[i], w));
    }
  }
  assert.is(fuserStats().unfusedRuns, 0);
});

test('dtypes the fuser does not handle run the group op by op, with the same results', () => {
  const src = 'def f(a, b):\n    return (a + b) * b - a\n';
  const { plain, fused } = both(src, 'f');
  const a = torch.tensor([1, 2, 3], 'int64'), b = torch.tensor([4, 5, 6], 'int64');
  same(fused(a, b), plain(a, b));
  assert.is(fuserStats().unfusedRuns, 1);
  setFuserMode('off');
  const x = torch.randn([4]) as Tensor;
  same(fused(x, x), plain(x, x));
  assert.is(fuserStats().unfusedRuns, 2);
  assert.throws(() => setFuserMode('fast' as never), (e: Error) => e instanceof FuserError && /expected 'codegen', 'template' or 'off'/.test(e.message));
});

test('a refused compilation falls back to the templates and is reported once', () => {
  const { plain, fused } = both(IOU, 'ratio_iou');
  const other = both('def g(a, b):\n    return torch.exp(a) * b + 1.0\n', 'g');
  const Module = WebAssembly.Module;
  const warn = console.warn;
  const warnings: string[] = [];
  (WebAssembly as any).Module = function () { throw new EvalError('Refused to compile or instantiate WebAssembly module because \'unsafe-eval\' is not an allowed source'); };
  console.warn = (m: string) => warnings.push(m);
  try {
    for (const shape of [[50], [7], [3, 3]]) {
      const xs = boxes(shape);
      same(fused(...xs), plain(...xs));
      same(other.fused(xs[0], xs[1]), other.plain(xs[0], xs[1]));
    }
  } finally {
    (WebAssembly as any).Module = Module;
    console.warn = warn;
  }
  assert.is(warnings.length, 1);
  assert.match(warnings[0], /precompiled templates/);
  assert.is(fuserStats().codegenRuns, 0);
  assert.is(fuserStats().templateRuns, 6);
});

test('non-pointwise nodes split groups; a group never reorders a use before its value', () => {
  const src = 'def f(a, b):\n    c = torch.exp(a) + b\n    s = torch.sum(c)\n    d = torch.sigmoid(c) * s\n    return d - c\n';
  const { plain, fused } = both(src, 'f');
  const gs = groups(fused);
  assert.is(gs.length, 2);
  const a = torch.randn([6]) as Tensor, b = torch.randn([6]) as Tensor;
  same(fused(a, b), plain(a, b));
});

test('a repeated call reuses its prepared launch; new shapes, strides and modes prepare another', () => {
  const { plain, fused } = both(IOU, 'ratio_iou');
  const a = boxes([6, 7]), b = boxes([13]);
  for (let i = 0; i < 3; i++) {
    same(fused(...a), plain(...a));
    same(fused(...b), plain(...b));
  }
  // One kernel for both sizes (same layouts); every launch after the first found it.
  assert.is(fuserStats().compiles, 1);
  assert.is(fuserStats().cacheHits, 5);
  assert.is(fuserStats().codegenRuns, 6);
  setFuserMode('template');
  same(fused(...a), plain(...a));
  same(fused(...a), plain(...a));
  assert.is(fuserStats().templateRuns, 2);
  setFuserMode('codegen');
  // Same shape, other strides: a transposed view is another signature (copied to a full buffer).
  const t = a.map((x) => (x.transpose(0, 1) as Tensor).contiguous().transpose(0, 1) as Tensor);
  assert.equal(t[0].shape, [6, 7]);
  assert.not.equal(t[0].strides, a[0].strides);
  same(fused(...t), plain(...t));
  same(fused(...t), plain(...t));
  same(fused(...a), plain(...a));
  assert.is(fuserStats().unfusedRuns, 0);
  // A disposed input fails before the launch allocates anything (a strided one after its copy).
  a[2].dispose();
  t[6].dispose();
  const before = engine().stats().bytesLive;
  assert.throws(() => fused(...a), /disposed|dispose\(\)/);
  assert.throws(() => fused(...t), /disposed|dispose\(\)/);
  assert.is(engine().stats().bytesLive, before);
});

test('generated and template kernels at unroll and tile boundaries', () => {
  const src = 'def f(a, b, c):\n    return torch.where(a > b, torch.exp(a) * c, b - c), a < c\n';
  const { plain, fused } = both(src, 'f');
  const cases: [number[], number[], number[]][] = [
    [[7], [7], [7]], [[8], [8], [8]], [[9], [9], [9]], [[12], [12], [12]], [[13], [13], [13]],
    [[511], [511], [511]], [[512], [512], [512]], [[513], [513], [513]], [[1029], [1029], [1029]],
    [[3, 700], [700], [3, 1]], [[700, 3], [3], [700, 1]], [[2, 1030], [], [2, 1030]],
  ];
  for (const [sa, sb, sc] of cases) {
    const [x, y, z] = [sa, sb, sc].map((s) => torch.randn(s) as Tensor);
    const want = plain(x, y, z) as Tensor[];
    for (const mode of ['codegen', 'template'] as const) {
      setFuserMode(mode);
      (fused(x, y, z) as Tensor[]).forEach((g, i) => same(g, want[i]));
    }
  }
  assert.is(fuserStats().unfusedRuns, 0);
});

test('template registers: reused once dead, never written while read, outputs kept apart', () => {
  const b = new FuseBuilder(['f32', 'f32', 'f32']);
  const [x, y, z] = [0, 1, 2].map((i) => b.input(i));
  const s = b.add(x, y), p = b.mul(s, z), q = b.sub(p, x), e = b.unary(FOP.FOP_EXP, q)!;
  const r = b.clamp(b.div(e, s)!, 0, null)!;
  const prog = b.finish([r, p, r])!;
  const regs = assignRegisters(prog);
  const nIn = prog.inputs.length;
  assert.ok(regs.count < nIn + prog.instrs.length, `${regs.count} registers for ${nIn + prog.instrs.length} values`);
  assert.equal(regs.of.slice(0, nIn), [0, 1, 2]);
  prog.instrs.forEach((ins, i) => {
    const d = regs.of[nIn + i];
    if (ins.op !== FOP.FOP_CONST) assert.ok(d !== regs.of[ins.a] && d !== regs.of[ins.b], `instruction ${i} writes a register it reads`);
  });
  // The first r and p are computed in their outputs' memory; the repeated r is copied.
  assert.equal(regs.direct, [true, true, false]);
  for (const o of [prog.outputs[0], prog.outputs[1]]) {
    const mine = regs.of[o.reg];
    assert.is(regs.of.filter((g) => g === mine).length, 1, `output register ${mine} is shared`);
  }
});

test.run();
