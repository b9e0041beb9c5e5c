// `npm run conformance:models -- [--manifest PATH] [--filter NAME] [--verbose]`: loads each
// TorchScript archive of the manifest, runs forward on its inputs and compares the outputs with
// PyTorch's (../shared/fixtures/README.md tolerances); one line per case, then one JSON line.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadFile } from '../../src/jit/load.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { readNpy } from '../../src/serialize/npy.js';
import { engine } from '../../src/engine/engine.js';

interface Case { name: string; kind: string; inputs?: string[]; outputs?: number; call?: string; named_outputs?: Record<string, string> }

const argv = process.argv.slice(2);
const opt = (name: string, dflt?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const manifestPath = opt('--manifest', '../shared/fixtures/torchscript/manifest.json')!;
const filter = opt('--filter');
const verbose = argv.includes('--verbose');
const dir = dirname(manifestPath);
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { cases: Case[] };

/** Whole networks compare by max error relative to the output's max magnitude. */
const NETWORK = /^(transformer_net|mobilenet|squeezenet|maskrcnn)/;
/** Cases whose listed outputs beyond the first are gradients (a later task). */
const FORWARD_ONLY = new Set(['iou_scripted']);

/** A copy: Node's Buffer may be a view into a shared pool, which npy readers must not see. */
const readBytes = (p: string) => new Uint8Array(readFileSync(p));

/** A manifest input's Python repr as a JS value (`3`, `2.5`, `True`, `[1, 2]`). */
function parseRepr(s: string): unknown {
  if (s === 'True' || s === 'False') return s === 'True';
  if (s === 'None') return null;
  return JSON.parse(s.replace(/'/g, '"'));
}

/** Outputs in order: tuples/lists element-wise, dicts by sorted key. */
function flatten(x: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(x)) x.forEach((y) => flatten(y, out));
  else if (x instanceof Map) [...x.keys()].sort().forEach((k) => flatten(x.get(k), out));
  else out.push(x);
  return out;
}

function toNumbers(t: Tensor): number[] {
  return Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
}

/** The worst error of one output and whether it is within tolerance. */
function compare(got: unknown, expected: { data: ArrayLike<number | bigint | boolean>; shape: number[] }, network: boolean): { ok: boolean; err: number; why?: string } {
  if (!(got instanceof Tensor)) return { ok: false, err: Infinity, why: `output is not a tensor (${typeof got})` };
  if (got.shape.join(',') !== expected.shape.join(',')) return { ok: false, err: Infinity, why: `shape [${got.shape}] != [${expected.shape}]` };
  const g = toNumbers(got), e = Array.from(expected.data as ArrayLike<number>, Number);
  let worst = 0, maxAbs = 0, ok = true;
  for (let i = 0; i < e.length; i++) {
    const a = g[i], b = e[i];
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (a === b) continue;
    const d = Math.abs(a - b);
    maxAbs = Math.max(maxAbs, Math.abs(b));
    if (network) worst = Math.max(worst, d);
    else {
      worst = Math.max(worst, d / (Math.abs(b) || 1));
      if (!(d <= 1e-5 + 1.3e-6 * Math.abs(b))) ok = false;
    }
  }
  if (network) {
    for (const b of e) maxAbs = Math.max(maxAbs, Math.abs(b));
    const rel = worst / (maxAbs || 1);
    return { ok: rel <= 1e-3, err: rel };
  }
  return { ok, err: worst };
}

function runCase(c: Case): { ok: boolean; line: string } {
  const base = join(dir, c.name);
  const module = loadFile(`${base}.pt`);
  const inputs: unknown[] = [];
  let k = 0;
  for (const spec of c.inputs ?? []) {
    if (spec === 'tensor') inputs.push(tensorFromNpy(readBytes(`${base}.input${k++}.npy`)));
    else if (spec === '[tensor]') inputs.push([tensorFromNpy(readBytes(`${base}.input${k++}.npy`))]);
    else inputs.push(parseRepr(spec));
  }
  const before = engine().stats().bytesLive;
  const result = module.forward(...inputs);
  if (c.named_outputs) {
    const r = compareDetections(result, c.named_outputs);
    for (const o of flatten(result)) if (o instanceof Tensor) o.dispose();
    if (verbose) console.error(`${c.name}: bytesLive grew by ${engine().stats().bytesLive - before} after disposing the outputs`);
    for (const o of inputs.flat()) if (o instanceof Tensor) o.dispose();
    return r;
  }
  const outs = flatten(result);
  const n = FORWARD_ONLY.has(c.name) ? 1 : c.outputs ?? outs.length;
  let worst = 0, ok = true, why = '';
  for (let i = 0; i < n; i++) {
    const file = `${base}.output${i}.npy`;
    if (!existsSync(file)) return { ok: false, line: `missing ${file}` };
    const r = compare(outs[i], readNpy(readBytes(file)) as never, NETWORK.test(c.name));
    worst = Math.max(worst, r.err);
    if (!r.ok) { ok = false; why ||= r.why ?? `output ${i} error ${r.err.toExponential(3)}`; }
  }
  const kept = outs.reduce((s: number, o) => s + (o instanceof Tensor ? o.numel * o.itemsize : 0), 0);
  const leak = engine().stats().bytesLive - before - kept;
  if (verbose) console.error(`${c.name}: bytesLive grew by ${leak} beyond the outputs`);
  for (const o of [...outs, ...inputs.flat()]) if (o instanceof Tensor) o.dispose();
  return { ok, line: ok ? `worst error ${worst.toExponential(3)}` : why };
}

/**
 * Detection outputs (`losses, detections = forward([x])`): random weights make the order
 * arbitrary, so each expected box must match one of ours (each used once) by IoU > 0.99 with the
 * same label and a score within 1e-3; the matched masks then compare as network outputs.
 */
function compareDetections(result: unknown, named: Record<string, string>): { ok: boolean; line: string } {
  const det = (result as unknown[])?.[1] as unknown[] | undefined;
  const d = det?.[0];
  if (!(d instanceof Map)) return { ok: false, line: 'forward did not return (losses, [detections])' };
  const want = (k: string) => readNpy(readBytes(join(dir, named[k])));
  const nums = (x: { data: unknown }) => Array.from(x.data as ArrayLike<number | bigint>, Number);
  const rows = (v: number[], n: number) => Array.from({ length: n }, (_, i) => v.slice((i * v.length) / n, ((i + 1) * v.length) / n));
  const el = nums(want('labels')), es = nums(want('scores'));
  const em = want('masks'), gotMasks = d.get('masks') as Tensor;
  const eb = rows(nums(want('boxes')), el.length), eMasks = rows(nums(em), el.length);
  const got = (k: string) => d.get(k) as Tensor;
  const n = got('boxes').shape[0];
  const gb = rows(toNumbers(got('boxes')), n), gl = toNumbers(got('labels')), gs = toNumbers(got('scores')), gMasks = rows(toNumbers(gotMasks), n);
  if (n !== el.length) return { ok: false, line: `${n} detections, expected ${el.length}` };
  if (gotMasks.shape.join(',') !== em.shape.join(',')) return { ok: false, line: `masks shape [${gotMasks.shape}] != [${em.shape}]` };
  const iou = (a: number[], b: number[]) => {
    const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])), h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const inter = w * h, area = (x: number[]) => (x[2] - x[0]) * (x[3] - x[1]);
    return inter / (area(a) + area(b) - inter || 1);
  };
  const used = new Set<number>();
  const maskMax = eMasks.flat().reduce((m, v) => Math.max(m, Math.abs(v)), 1e-30);
  let worstScore = 0, worstMask = 0;
  for (let i = 0; i < el.length; i++) {
    const j = gb.findIndex((g, k) => !used.has(k) && iou(g, eb[i]) > 0.99 && gl[k] === el[i] && Math.abs(gs[k] - es[i]) <= 1e-3);
    if (j < 0) return { ok: false, line: `expected detection ${i} (label ${el[i]}, score ${es[i].toFixed(4)}) not found` };
    used.add(j);
    worstScore = Math.max(worstScore, Math.abs(gs[j] - es[i]));
    eMasks[i].forEach((v, q) => (worstMask = Math.max(worstMask, Math.abs(gMasks[j][q] - v) / maskMax)));
  }
  if (worstMask > 1e-3) return { ok: false, line: `mask error ${worstMask.toExponential(3)} (relative to the masks' max)` };
  return { ok: true, line: `worst score error ${worstScore.toExponential(3)}, worst mask error ${worstMask.toExponential(3)}` };
}

const results: Record<string, string> = {};
let passed = 0, failed = 0;
for (const c of manifest.cases) {
  if (filter && !c.name.includes(filter)) continue;
  let status: string;
  try {
    const r = runCase(c);
    status = r.ok ? 'pass' : r.line;
    console.log(`${r.ok ? 'PASS' : 'FAIL'} ${c.name}: ${r.line}`);
  } catch (err) {
    const e = err as Error;
    status = `${e.name}: ${e.message.split('\n')[0]}`;
    console.log(`FAIL ${c.name}: ${status}`);
    if (verbose) console.error(e.stack);
  }
  results[c.name] = status;
  if (status === 'pass') passed++;
  else failed++;
}
console.log(JSON.stringify({ suite: 'torchscript', total: passed + failed, passed, failed, cases: results }));
