// `npm run conformance:ops -- [--suite opinfo.zip] [--filter OP] [--grads] [--verbose]`:
// runs PyTorch's OpInfo samples (../shared/fixtures/README.md) and ends with one JSON line.
import { readFileSync } from 'node:fs';
import { readZip } from '../../src/serialize/zip.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { torch } from '../../src/sdk/torch.js';
import { Tensor, tidy } from '../../src/sdk/tensor.js';
import { UnknownOpError } from '../../src/sdk/errors.js';
import { values } from '../../src/ops/exec.js';

interface Case {
  op: string;
  variant: string;
  input: any;
  args: { list: any[] };
  kwargs: Record<string, any>;
  output: any;
  grad_output?: any;
  grads?: { list: any[] };
}

const argv = process.argv.slice(2);
const opt = (name: string, dflt?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const suite = opt('--suite', '../shared/fixtures/opinfo/opinfo.zip')!;
const filter = opt('--filter');
const verbose = argv.includes('--verbose');
const withGrads = argv.includes('--grads');

const zip = readZip(new Uint8Array(readFileSync(suite)));
const spec = JSON.parse(new TextDecoder().decode(zip.read('cases.json')));
const cases: Case[] = spec.cases;

class NotImplemented extends Error {}

/** Decodes a fixture value V into JS: tensors, numbers, lists, dtypes. */
function decode(v: any): any {
  if (v === null || typeof v !== 'object') return v;
  if ('tensor' in v) return tensorFromNpy(zip.read(`t${v.tensor}.npy`));
  if ('float' in v) return v.float === 'inf' ? Infinity : v.float === '-inf' ? -Infinity : NaN;
  if ('list' in v) return v.list.map(decode);
  if ('tuple' in v) return v.tuple.map(decode);
  if ('dtype' in v) return v.dtype;
  throw new Error(`unknown fixture value ${JSON.stringify(v)}`);
}

/** The PyTorch callable: torch.nn.functional.X, torch.X, or the Tensor method X. */
function resolve(op: string, input: any): (...a: any[]) => any {
  // OpInfo's embedding is `lambda weight, idx: F.embedding(idx, weight)`.
  if (op === 'nn.functional.embedding') return (weight: Tensor, idx: Tensor, ...rest: any[]) => torch.nn.functional.embedding(idx, weight, ...rest);
  if (op.startsWith('nn.functional.')) {
    const f = torch.nn.functional[op.slice('nn.functional.'.length)];
    if (!f) throw new NotImplemented(`torch.${op}`);
    return f;
  }
  // OpInfo's `where` is `lambda self, condition, other: torch.where(condition, self, other)`.
  if (op === 'where') return (self: Tensor, cond: Tensor, other: any) => self.where(cond, other);
  if (typeof torch[op] === 'function') return torch[op];
  if (input instanceof Tensor && typeof input[op] === 'function') return (self: Tensor, ...a: any[]) => self[op](...a);
  throw new NotImplemented(`torch.${op}`);
}

const ACCUMULATING = /mm|matmul|linear|conv|pool|norm|sum|mean|prod|var|std|logsumexp|cumsum|softmax|loss|entropy|interpolate|upsample|embedding/;

/** The largest error relative to the tolerance (<= 1 passes), comparing `got` with PyTorch's `want`. */
function compare(got: any, want: any, tol: { rtol: number; atol: number }, path = 'output'): string | null {
  if (want instanceof Tensor) {
    if (!(got instanceof Tensor)) return `${path}: expected a tensor, got ${typeof got}`;
    if (got.shape.join() !== want.shape.join()) return `${path}: shape [${got.shape}] != expected [${want.shape}]`;
    const kind = (d: string) => (d === 'bool' ? 'bool' : d.startsWith('float') ? 'float' : 'int');
    if (kind(got.dtype) !== kind(want.dtype)) return `${path}: dtype ${got.dtype} != expected ${want.dtype}`;
    const g = values(got), w = values(want);
    let worst = 0, at = -1;
    for (let i = 0; i < w.length; i++) {
      const a = g[i], b = w[i];
      if (Number.isNaN(b) ? Number.isNaN(a) : a === b) continue;
      const err = Math.abs(a - b) / (tol.atol + tol.rtol * Math.abs(b));
      if (!(err <= worst)) {
        worst = Number.isNaN(err) ? Infinity : err;
        at = i;
      }
    }
    return worst > 1 ? `${path}: element ${at} is ${g[at]}, expected ${w[at]} (error ${worst.toFixed(2)}x tolerance)` : null;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${path}: expected a sequence of ${want.length}, got ${Array.isArray(got) ? got.length : typeof got}`;
    for (let i = 0; i < want.length; i++) {
      const r = compare(got[i], want[i], tol, `${path}[${i}]`);
      if (r) return r;
    }
    return null;
  }
  if (typeof want === 'number') {
    const g = got instanceof Tensor ? Number(got.item()) : Number(got);
    return Math.abs(g - want) <= tol.atol + tol.rtol * Math.abs(want) || (Number.isNaN(g) && Number.isNaN(want)) ? null : `${path}: ${g} != expected ${want}`;
  }
  return got === want ? null : `${path}: ${String(got)} != expected ${String(want)}`;
}

function tolerance(c: Case, input: any, args: any[]): { rtol: number; atol: number } {
  if (!ACCUMULATING.test(c.op)) return { rtol: 1.3e-6, atol: 1e-5 };
  // Scale by the square root of the reduction size (README: "scaled by sqrt(reduction size)").
  const t: Tensor | undefined = input instanceof Tensor ? input : undefined;
  const w: Tensor | undefined = args.find((a) => a instanceof Tensor);
  let k = 1;
  if (/conv/.test(c.op) && w) k = w.numel / Math.max(1, w.shape[0]);
  else if (/mm|matmul|linear/.test(c.op) && t) k = t.shape[t.dim - 1] ?? 1;
  else if (t) k = t.numel;
  return { rtol: 1e-4, atol: 1e-4 * Math.sqrt(Math.max(1, k)) };
}

/** Why the gradients for the fixture's grad_output differ from PyTorch's (null when they match). */
function gradientsDiffer(c: Case, got: any, leaves: Tensor[], tol: { rtol: number; atol: number }): string | null {
  try {
    const outs = [got].flat().filter((t: any) => t instanceof Tensor && t.requiresGrad);
    if (!outs.length) return 'the output does not require grad';
    const gouts = [decode(c.grad_output)].flat().slice(0, outs.length);
    const grads = torch.autograd.grad(outs, leaves, gouts);
    return compare(grads.map((g: Tensor | null, i: number) => g ?? torch.zeros_like(leaves[i])), c.grads!.list.map(decode), tol, 'grad');
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message.split('\n')[0]}`;
  }
}

let passed = 0, failed = 0, skipped = 0, gradsTotal = 0, gradsPassed = 0;
const failures: string[] = [];
cases.forEach((c, index) => {
  if (filter && c.op !== filter && `${c.op}.${c.variant}` !== filter) return;
  const name = `${c.op}${c.variant ? `.${c.variant}` : ''}#${index}`;
  try {
    const reason = tidy(() => {
      const input = decode(c.input);
      const args = c.args.list.map(decode);
      const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, decode(v)]));
      const fn = resolve(c.op, input);
      // Gradients are taken for the floating tensors among input, args and kwargs, in that order.
      // Running statistics are buffers, not differentiable inputs (the fixture has no grads for them).
      const isStat = (k: string) => k === 'running_mean' || k === 'running_var';
      const stats = c.op === 'nn.functional.batch_norm' ? new Set(args.slice(0, 2)) : new Set();
      const candidates = [input, ...args.filter((a) => !stats.has(a)), ...Object.entries(kwargs).filter(([k]) => !isStat(k)).map(([, v]) => v)];
      const leaves = withGrads && c.grads ? candidates.flat().filter((t): t is Tensor => t instanceof Tensor && t.dtype.startsWith('float')) : [];
      leaves.forEach((t) => (t.requiresGrad = true));
      const got = Object.keys(kwargs).length ? fn(input, ...args, kwargs) : fn(input, ...args);
      const tol = tolerance(c, input, args);
      const forward = compare(got, decode(c.output), tol);
      if (leaves.length) {
        gradsTotal++;
        const why = gradientsDiffer(c, got, leaves, tol);
        if (why) failures.push(`GRAD ${name}: ${why}`);
        else gradsPassed++;
      }
      return forward;
    });
    if (reason) {
      failed++;
      failures.push(`FAIL ${name}: ${reason}`);
    } else {
      passed++;
      if (verbose) console.log(`ok   ${name}`);
    }
  } catch (e) {
    if (e instanceof NotImplemented || e instanceof UnknownOpError) {
      skipped++;
      failures.push(`SKIP ${name}: not implemented (${(e as Error).message})`);
    } else {
      failed++;
      failures.push(`FAIL ${name}: ${(e as Error).name}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
});
for (const f of failures) console.log(f);
const total = passed + failed + skipped;
console.log(JSON.stringify({ suite: 'opinfo', total, passed, failed, skipped, ...(withGrads ? { grads_total: gradsTotal, grads_passed: gradsPassed } : {}) }));
