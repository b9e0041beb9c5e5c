// Property test: random pointwise functions (up to 20 ops, broadcasting shapes, scalars, special
// values) give the same results fused (generated kernels and templates) as op by op, within 2 ulp.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jit, fromTypedArray, Tensor } from '../../src/index.js';
import { optimize } from '../../src/jit/pipeline.js';
import { fuserStats, resetFuser, setFuserMode } from '../../src/jit/fuser/launch.js';

/** mulberry32: a small seeded generator, so a failure names its case. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNARY = ['torch.exp', 'torch.log', 'torch.sigmoid', 'torch.tanh', 'torch.relu', 'torch.neg', 'torch.abs', 'torch.sqrt',
  'torch.floor', 'torch.ceil', 'torch.round', 'torch.trunc', 'torch.expm1', 'torch.log1p', 'torch.reciprocal', 'torch.rsqrt', 'torch.frac'];
const BINARY = ['{a} + {b}', '{a} - {b}', '{a} * {b}', '{a} / {b}', 'torch.max({a}, {b})', 'torch.min({a}, {b})',
  'torch.maximum({a}, {b})', 'torch.where({a} > {b}, {a}, {b})', 'torch.where({a} <= {b}, {b} * 0.5, {a})'];
const SCALAR = ['{a} + {s}', '{a} * {s}', '{a} - {s}', 'torch.clamp({a}, min={s})', 'torch.clamp({a}, max={s})',
  'torch.clamp({a}, min=-1.5, max=2.0)', 'torch.where({a} < {s}, {a}, 0.25)', '{a} / {s}'];
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -3e38, 88.5, -104, 0.5];

function randomCase(r: () => number, id: number) {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const ndim = 1 + Math.floor(r() * 3);
  const out = Array.from({ length: ndim }, () => 1 + Math.floor(r() * 9));
  const nIn = 1 + Math.floor(r() * 4);
  // Each input: the output shape with some dims set to 1 and some leading dims dropped.
  const shapes = Array.from({ length: nIn }, () => {
    const s = out.map((d) => (r() < 0.25 ? 1 : d));
    return s.slice(Math.floor(r() * (ndim + 1) * (r() < 0.3 ? 1 : 0)));
  });
  const vals = Array.from({ length: nIn }, (_, i) => `x${i}`);
  const lines: string[] = [];
  const nOps = 1 + Math.floor(r() * 20);
  for (let k = 0; k < nOps; k++) {
    const a = pick(vals), b = pick(vals), s = (r() * 6 - 3).toFixed(2);
    const kind = r();
    const e = kind < 0.35 ? `${pick(UNARY)}(${a})` : kind < 0.75 ? pick(BINARY).replace(/\{a\}/g, a).replace(/\{b\}/g, b) : pick(SCALAR).replace(/\{a\}/g, a).replace(/\{s\}/g, s);
    lines.push(`    v${k} = ${e}`);
    vals.push(`v${k}`);
  }
  const rets = [vals[vals.length - 1], ...(r() < 0.3 ? [pick(vals.slice(nIn))] : [])];
  const src = `def f${id}(${vals.slice(0, nIn).join(', ')}):\n${lines.join('\n')}\n    return ${rets.join(', ')}\n`;
  const inputs = shapes.map((s) => {
    const n = s.reduce((x, y) => x * y, 1);
    const data = Float32Array.from({ length: n }, () => (r() < 0.1 ? pick(SPECIAL) : (r() * 2 - 1) * Math.exp(r() * 4)));
    return fromTypedArray(data, s);
  });
  return { src, name: `f${id}`, inputs };
}

const bits = new Float32Array(1), ints = new Int32Array(bits.buffer);
/** Distance in units in the last place between two f32 values (0 for NaN/NaN and -0/0). */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  bits[0] = a; let ia = ints[0];
  bits[0] = b; let ib = ints[0];
  if (ia < 0) ia = 0x80000000 - ia;
  if (ib < 0) ib = 0x80000000 - ib;
  return Math.abs(ia - ib);
}

function check(got: unknown, want: unknown, what: string): void {
  const gs = (Array.isArray(got) ? got : [got]) as Tensor[], ws = (Array.isArray(want) ? want : [want]) as Tensor[];
  assert.is(gs.length, ws.length, what);
  ws.forEach((w, i) => {
    assert.equal(gs[i].shape, w.shape, `${what}: shape`);
    assert.is(gs[i].dtype, w.dtype, `${what}: dtype`);
    const x = gs[i].dataSync(), y = w.dataSync();
    for (let j = 0; j < y.length; j++) {
      if (ulps(Number(x[j]), Number(y[j])) > 2) assert.unreachable(`${what}: output ${i} element ${j}: fused ${x[j]}, unfused ${y[j]}`);
    }
  });
}

test('500 random pointwise graphs: fused (codegen and template) == unfused within 2 ulp', () => {
  resetFuser();
  const r = rng(20181211);
  let fusedGroups = 0;
  for (let id = 0; id < 500; id++) {
    const { src, name, inputs } = randomCase(r, id);
    const plain = jit.compile(src)[name];
    const fused = jit.compile(src)[name];
    optimize(fused.ir);
    fusedGroups += fused.ir.nodes().filter((n) => n.kind === 'prim::FusionGroup').length;
    let want: unknown;
    try {
      want = plain(...inputs);
    } catch (e) {
      // Shapes that do not broadcast must fail the same way fused.
      setFuserMode('codegen');
      assert.throws(() => fused(...inputs), undefined, `case ${id}:\n${src}`);
      continue;
    }
    for (const mode of ['codegen', 'template'] as const) {
      setFuserMode(mode);
      check(fused(...inputs), want, `case ${id} (${mode}), inputs [${inputs.map((t) => `[${t.shape}]`).join(', ')}]:\n${src}`);
    }
  }
  setFuserMode('codegen');
  const s = fuserStats();
  assert.ok(fusedGroups >= 400, `only ${fusedGroups} groups formed`);
  assert.ok(s.codegenRuns > 300 && s.templateRuns > 300, JSON.stringify(s));
});

test.run();
