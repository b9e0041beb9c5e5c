// The fast convolution operator (assembly/nnpack_port): picks an algorithm per layer shape the way
// NNPACK's select_algorithm does, but by measuring the candidates once per shape, caches each
// weight's transformed/packed form, and sizes the scratch. conv2dFast returns null where no fast
// path applies, and the reference convolution in conv.ts runs instead.
import { engine } from '../engine/engine.js';
import { Tensor } from '../sdk/tensor.js';
import { contiguous } from './exec.js';

export type ConvAlgorithm = 'winograd' | 'direct' | 'im2col' | 'gemm1x1' | 'dw3x3';

export interface ConvActivation {
  kind: 'relu' | 'clamp';
  min?: number;
  max?: number;
}

export interface ConvFastOptions {
  /** Time the candidate algorithms on the first call for a layer shape (else a fixed rule picks). */
  measure: boolean;
  /** Use only this algorithm (tests, benchmarks); conv2dFast returns null where it does not apply. */
  force: ConvAlgorithm | null;
}

const options: ConvFastOptions = { measure: true, force: null };

export function setConvFastOptions(o: Partial<ConvFastOptions>): void {
  Object.assign(options, o);
}

// The slots of assembly/nnpack_port/conv-params.ts, in order.
const CONV_PARAMS = ['n', 'cin', 'h', 'w', 'cout', 'kh', 'kw', 'sh', 'sw', 'ph', 'pw', 'dh', 'dw', 'oh', 'ow',
  'x', 'weights', 'bias', 'y', 'scratch', 'chunk', 'lo', 'hi', 'reflect'] as const;
type Geometry = Record<(typeof CONV_PARAMS)[number], number>;
const [X_SLOT, WEIGHTS_SLOT, BIAS_SLOT, Y_SLOT, SCRATCH_SLOT, LO_SLOT] = (['x', 'weights', 'bias', 'y', 'scratch', 'lo'] as const).map((n) => CONV_PARAMS.indexOf(n));

interface Algorithm {
  applies(g: Geometry, groups: number): boolean;
  /** Floats of the packed weights, and how to fill them from the contiguous weight at `w`. */
  packedSize(g: Geometry): number;
  pack(g: Geometry, w: number, out: number): void;
  /** Tiles or pixels per chunk (multiple of 8). */
  chunk(g: Geometry): number;
  scratchSize(desc: number): number;
  run(desc: number): void;
}

const k = () => engine().k;
const roundDown8 = (v: number) => Math.max(8, v & ~7);
const packA = (g: Geometry, w: number, out: number) => k().f32_gemm_4x8_pack_weights(g.cout, g.cin * g.kh * g.kw, w, out);
const panelSize = (g: Geometry) => ((g.cout + 3) >> 2) * 4 * g.cin * g.kh * g.kw;
const isDense = (g: Geometry, groups: number) => groups === 1;

const ALGORITHMS: Record<ConvAlgorithm, Algorithm> = {
  // NNPACK wt8x8: F(6x6, 3x3).
  winograd: {
    applies: (g, groups) => isDense(g, groups) && g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && g.dh === 1 && g.dw === 1,
    packedSize: (g) => k().winograd_6x3_packed_size(g.cout, g.cin),
    pack: (g, w, out) => k().f32_winograd_6x3_pack_weights(w, g.cout, g.cin, out),
    // V and M chunks (64 frequencies x tiles x channels) of about 1 MiB together: near the L2 cache.
    chunk: (g) => Math.min(roundDown8((1 << 20) / (256 * (g.cin + g.cout))), (Math.ceil(g.oh / 6) * Math.ceil(g.ow / 6) + 7) & ~7),
    scratchSize: (d) => k().winograd_6x3_scratch_size(d),
    run: (d) => k().f32_conv2d_winograd_6x3_wasmsimd(d),
  },
  gemm1x1: {
    applies: (g, groups) => isDense(g, groups) && g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.ph === 0 && g.pw === 0,
    packedSize: panelSize,
    pack: packA,
    // The packed columns of B, reread by every 4-row weight panel: a plane of up to 256 KiB in one
    // chunk (each chunk reads all the weights again: MobileNetV2's last 1x1 reads 1.6 MB), larger
    // planes in L1-sized chunks (32 KiB: 5-10% faster than 256 KiB on MobileNetV2's early layers).
    chunk: (g) => (g.oh * g.ow * g.cin * 4 <= 1 << 18 ? (g.oh * g.ow + 7) & ~7 : roundDown8((1 << 13) / g.cin)),
    scratchSize: (d) => k().conv2d_gemm_scratch_size(d),
    run: (d) => k().f32_conv2d_gemm_wasmsimd(d),
  },
  direct: {
    applies: (g, groups) => isDense(g, groups) && g.sw === 1,
    packedSize: panelSize,
    pack: packA,
    chunk: () => 8,
    scratchSize: (d) => k().conv2d_gemm_scratch_size(d),
    run: (d) => k().f32_conv2d_gemm_wasmsimd(d),
  },
  // Panels of the im2col matrix of at most 64 KiB (measured: 32 KiB slows TransformerNet's
  // 32-channel layer, 128 KiB MobileNetV2's stem).
  im2col: {
    applies: (g, groups) => isDense(g, groups) && !(g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.ph === 0 && g.pw === 0),
    packedSize: panelSize,
    pack: packA,
    chunk: (g) => Math.min(roundDown8((1 << 14) / (g.cin * g.kh * g.kw)), (g.oh * g.ow + 7) & ~7),
    scratchSize: (d) => k().conv2d_gemm_scratch_size(d),
    run: (d) => k().f32_conv2d_gemm_wasmsimd(d),
  },
  dw3x3: {
    applies: (g, groups) => groups === g.cin && g.cout === g.cin && g.kh === 3 && g.kw === 3 && g.sh === g.sw && (g.sh === 1 || g.sh === 2) && g.dh === 1 && g.dw === 1,
    packedSize: () => 0,
    pack: () => {},
    chunk: () => 8,
    scratchSize: (d) => k().dwconv2d_3x3_scratch_size(d),
    run: (d) => k().f32_dwconv2d_3x3_wasmsimd(d),
  },
};

// NNPACK's rule, used when measuring is off: wt8x8 for 3x3 stride 1, direct for 1x1, implicit
// GEMM otherwise (our "direct" reads rows in place, so it serves every stride-1 width).
const RULE: ConvAlgorithm[] = ['dw3x3', 'gemm1x1', 'winograd', 'direct', 'im2col'];

/** Algorithms that can run this layer, in rule order (the first is the unmeasured choice). */
export function convCandidates(g: Geometry, groups: number): ConvAlgorithm[] {
  return RULE.filter((a) => ALGORITHMS[a].applies(g, groups));
}

const chosen = new Map<string, ConvAlgorithm>();
const geometryKey = (g: Geometry, groups: number) =>
  [g.n, g.cin, g.h, g.w, g.cout, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, groups].join(',');

/** The algorithm conv2dFast used (or measured) for a layer, if it has seen it. */
export function chosenConvAlgorithm(inputShape: readonly number[], weightShape: readonly number[], stride: [number, number],
  padding: [number, number], dilation: [number, number], groups: number): ConvAlgorithm | null {
  const g = geometry(inputShape, weightShape, stride, padding, dilation);
  return g ? chosen.get(geometryKey(g, groups)) ?? null : null;
}

// Packed weights per weight tensor and algorithm. An entry is stale when the tensor's data moved,
// its version counter (if it has one) changed, or a sample of its values changed: in-place writes
// such as load_state_dict's copy_ and optimizer steps must not leave old packed weights in use.
interface Packed { ptr: number; at: number; version: unknown; offsets: number[]; sample: Float32Array }
const packedCache = new WeakMap<Tensor, Map<string, Packed>>();
const freePacked = new FinalizationRegistry<number[]>((ptrs) => ptrs.forEach((p) => engine().free(p)));
const SAMPLES = 17;

/** Element offsets (from the storage's start) of SAMPLES values spread over the weight. */
function sampleOffsets(weight: Tensor): number[] {
  const n = weight.numel, sizes = weight.shape, strides = weight.strides, out: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    let flat = Math.floor((i * (n - 1)) / (SAMPLES - 1)), off = weight.offset;
    for (let d = sizes.length - 1; d >= 0; d--) {
      off += (flat % sizes[d]) * strides[d];
      flat = Math.floor(flat / sizes[d]);
    }
    out.push(off);
  }
  return out;
}

function sampleAt(weight: Tensor, offsets: number[]): Float32Array {
  const f32 = engine().f32, base = weight.storage.ptr >> 2;
  return Float32Array.from(offsets, (o) => f32[base + o]);
}

function sampleHolds(weight: Tensor, have: Packed): boolean {
  const f32 = engine().f32, base = weight.storage.ptr >> 2;
  for (let i = 0; i < SAMPLES; i++) if (!Object.is(f32[base + have.offsets[i]], have.sample[i])) return false;
  return true;
}

function dropPacked(weight: Tensor, layout: string): void {
  const have = packedCache.get(weight)?.get(layout);
  if (!have) return;
  engine().free(have.ptr);
  freePacked.unregister(have);
  packedCache.get(weight)!.delete(layout);
}

const versionOf = (weight: Tensor): unknown => (weight as any).version ?? (weight as any)._version;

/** The weight's (or bias's) packed copy in a layout if it is still current, else 0. */
function currentPacked(weight: Tensor, layout: string): number {
  const have = packedCache.get(weight)?.get(layout);
  return have && have.at === weight.ptr && have.version === versionOf(weight) && sampleHolds(weight, have) ? have.ptr : 0;
}

/**
 * A new packed copy of the weight (or bias) in a layout, `floats` floats filled by pack(contiguous
 * ptr, out ptr), replacing a stale one. Callers ask currentPacked first: `currentPacked(w, l) ||
 * packWeights(w, l, n, packer(...))` makes no packer on the per-call path.
 */
function packWeights(weight: Tensor, layout: string, floats: number, pack: (w: number, out: number) => void): number {
  let byLayout = packedCache.get(weight);
  if (!byLayout) {
    byLayout = new Map();
    packedCache.set(weight, byLayout);
  }
  const have = byLayout.get(layout), version = versionOf(weight);
  const offsets = sampleOffsets(weight), sample = sampleAt(weight, offsets);
  const e = engine();
  const ptr = e.alloc(floats * 4);
  const w = contiguous(weight);
  pack(w.ptr, ptr);
  if (w !== weight) w.dispose();
  if (have) dropPacked(weight, layout);
  const entry = { ptr, at: weight.ptr, version, offsets, sample };
  byLayout.set(layout, entry);
  freePacked.register(weight, [ptr], entry);
  return ptr;
}

function geometry(inShape: readonly number[], wShape: readonly number[], stride: [number, number], padding: [number, number],
  dilation: [number, number]): Geometry | null {
  if (inShape.length !== 4 || wShape.length !== 4) return null;
  const [n, cin, h, w] = inShape;
  const [cout, , kh, kw] = wShape;
  const oh = Math.floor((h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  if (n < 1 || cout < 1 || oh < 1 || ow < 1 || Math.min(...stride, ...dilation) < 1 || Math.min(...padding) < 0) return null;
  return { n, cin, h, w, cout, kh, kw, sh: stride[0], sw: stride[1], ph: padding[0], pw: padding[1], dh: dilation[0], dw: dilation[1],
    oh, ow, x: 0, weights: 0, bias: 0, y: 0, scratch: 0, chunk: 8, lo: -Infinity, hi: Infinity, reflect: 0 };
}

/**
 * A layer's call prepared once (the per-call path of a network runs 50 of these): its algorithm and
 * parameter block, where only the pointers change between calls, and the scratch it needs.
 */
interface Plan { algo: ConvAlgorithm; g: Geometry; slots: Int32Array; scratchBytes: number }
const plans = new Map<string, Plan>();

function planFor(algo: ConvAlgorithm, g: Geometry, key: string): Plan {
  const k = key + '|' + algo;
  let plan = plans.get(k);
  if (plan) return plan;
  const a = ALGORITHMS[algo], e = engine();
  const p: Geometry = { ...g, chunk: a.chunk(g) };
  const slots = new Int32Array(CONV_PARAMS.length);
  CONV_PARAMS.forEach((name, i) => (slots[i] = p[name]));
  new Float32Array(slots.buffer, LO_SLOT * 4, 2).set([p.lo, p.hi]);
  const desc = e.writeDesc(Array.from(slots));
  plan = { algo, g: p, slots, scratchBytes: a.scratchSize(desc) * 4 };
  plans.set(k, plan);
  return plan;
}

function runPlan(plan: Plan, x: Tensor, weight: Tensor, bias: Tensor | null, y: Tensor): void {
  const a = ALGORITHMS[plan.algo], e = engine(), s = plan.slots;
  // Depthwise reads the weight as it is (9 floats per channel: nothing to pack).
  const direct = a.packedSize(plan.g) === 0 ? contiguous(weight) : null;
  s[X_SLOT] = x.ptr;
  s[WEIGHTS_SLOT] = direct ? direct.ptr : currentPacked(weight, plan.algo) || packWeights(weight, plan.algo, a.packedSize(plan.g), (w, out) => a.pack(plan.g, w, out));
  s[BIAS_SLOT] = bias ? bias.ptr : 0;
  s[Y_SLOT] = y.ptr;
  s[SCRATCH_SLOT] = e.scratch(plan.scratchBytes);
  e.i32.set(s, e.desc >> 2);
  try {
    a.run(e.desc);
  } finally {
    if (direct && direct !== weight) direct.dispose();
  }
}

// The rule's choice (candidates[0]) stays unless another is clearly faster: timings on a shared
// machine are noisy, and a wrong switch costs more than a missed 10%. Rounds interleave the
// candidates and each keeps its best time, so a burst of load hits them alike.
function measureBest(candidates: ConvAlgorithm[], g: Geometry, key: string, x: Tensor, weight: Tensor, bias: Tensor | null, y: Tensor): ConvAlgorithm {
  const ps = candidates.map((algo) => planFor(algo, g, key));
  for (const p of ps) runPlan(p, x, weight, bias, y); // packs the weights and warms the caches
  const ms = ps.map(() => Infinity);
  for (let r = 0; r < 5; r++) {
    ps.forEach((p, i) => {
      const t0 = performance.now();
      runPlan(p, x, weight, bias, y);
      ms[i] = Math.min(ms[i], performance.now() - t0);
    });
  }
  let pick = 0;
  for (let i = 1; i < candidates.length; i++) if (ms[i] < 0.9 * ms[pick]) pick = i;
  for (const algo of candidates) if (algo !== candidates[pick]) dropPacked(weight, algo);
  return candidates[pick];
}

/**
 * act(conv2d(input, weight, bias) + residual) for float32 NCHW, with the activation (and the
 * residual, a tensor of the output's shape) fused, by the fastest applicable algorithm; null when
 * none applies (other dtypes, grouped non-depthwise convs, depthwise kernels other than 3x3
 * stride 1/2, dilated depthwise, a residual of another shape or dtype). padMode 'reflect' pads by
 * reflecting the image (PyTorch's F.pad(x, p, 'reflect') before a conv with padding 0; not for
 * depthwise, and padding must be smaller than the image).
 */
export function conv2dFast(input: Tensor, weight: Tensor, bias: Tensor | null, stride: [number, number], padding: [number, number],
  dilation: [number, number], groups: number, activation?: ConvActivation, residual?: Tensor | null,
  padMode: 'zeros' | 'reflect' = 'zeros'): Tensor | null {
  if (input.dtype !== 'float32' || weight.dtype !== 'float32' || (bias && (bias.dtype !== 'float32' || bias.dim !== 1))) return null;
  const g = geometry(input.shape, weight.shape, stride, padding, dilation);
  if (!g || g.cin !== weight.shape[1] * groups || (bias && bias.shape[0] !== g.cout)) return null;
  if (residual && (residual.dtype !== 'float32' || residual.shape.join() !== [g.n, g.cout, g.oh, g.ow].join())) return null;
  if (padMode === 'reflect') {
    if (g.ph >= g.h || g.pw >= g.w) return null;
    g.reflect = 1;
  }
  if (activation?.kind === 'relu') g.lo = 0;
  else if (activation?.kind === 'clamp') [g.lo, g.hi] = [activation.min ?? -Infinity, activation.max ?? Infinity];
  // The residual is added before the activation: the kernels store unclamped sums, then one pass
  // adds and clamps while the output is in cache.
  const [lo, hi] = [g.lo, g.hi];
  if (residual) [g.lo, g.hi] = [-Infinity, Infinity];
  const candidates = convCandidates(g, groups).filter((a) => (!options.force || a === options.force) && !(g.reflect && a === 'dw3x3'));
  if (candidates.length === 0) return null;
  const x = contiguous(input);
  const b = bias ? contiguous(bias) : null;
  const y = Tensor.empty([g.n, g.cout, g.oh, g.ow], 'float32');
  const gk = geometryKey(g, groups), key = gk + '|' + candidates.join(',');
  const planKey = `${gk}|${g.lo},${g.hi},${g.reflect}`;
  let algo = chosen.get(key);
  if (!algo) {
    algo = candidates.length > 1 && options.measure ? measureBest(candidates, g, planKey, x, weight, b, y) : candidates[0];
    chosen.set(key, algo);
    chosen.set(gk, algo);
  }
  runPlan(planFor(algo, g, planKey), x, weight, b, y);
  if (x !== input) x.dispose();
  if (b && b !== bias) b.dispose();
  if (residual) {
    const r = contiguous(residual);
    k().f32_conv_residual_clamp(y.ptr, r.ptr, y.numel, lo, hi);
    if (r !== residual) r.dispose();
  }
  return y;
}

/**
 * One convolution of an inverted residual block: weight, bias, and the clamp [lo, hi] after it;
 * the expand's stride is 1 for a 1x1, 2 for a 3x3 (padding 1: MobileNetV2's stem as the first
 * block's expand).
 */
export interface BlockConv { weight: Tensor; bias: Tensor | null; lo: number; hi: number; stride?: number }

// The slots of assembly/nnpack_port/f32-inverted-residual-wasmsimd.ts, in order.
const IR_PARAMS = ['n', 'cin', 'h', 'w', 'cexp', 'cout', 's', 'oh', 'ow', 'x', 'we', 'be', 'wd', 'bd', 'wp', 'bp', 'y', 'res', 'scratch',
  'rows', 'lo1', 'hi1', 'lo2', 'hi2', 'lo3', 'hi3', 'xh', 'xw', 'ke'] as const;
const IR_FLOATS = ['lo1', 'hi1', 'lo2', 'hi2', 'lo3', 'hi3'] as const;
/**
 * Bytes of expanded rows (E) a tile may hold: with the depthwise output and the weights, within
 * the L2 cache (2 MiB here). Measured over MobileNetV2: 256 KiB was 0.3 ms slower (the 7x7
 * blocks took two tiles, reading their 1.2 MB of weights twice), 1 MiB and up slower again.
 */
const IR_TILE_BYTES = 1 << 19;
const up8 = (v: number) => (v + 7) & ~7;

// The fused block's layouts (see its kernel): a 1x1 weight [m][k] as panels [ceil(m/8)][kp][8]
// (zero past m and k), the depthwise weight [c][9] as [up8(c)/4][9][4], a bias padded to up8(m).
function pack1x1(m: number, k: number, kp: number) {
  return (w: number, out: number) => {
    const f = engine().f32, src = w >> 2, dst = out >> 2;
    f.fill(0, dst, dst + up8(m) * kp);
    for (let c = 0; c < m; c++) for (let kk = 0; kk < k; kk++) f[dst + ((c >> 3) * kp + kk) * 8 + (c & 7)] = f[src + c * k + kk];
  };
}
function packDepthwise(c: number) {
  return (w: number, out: number) => {
    const f = engine().f32, src = w >> 2, dst = out >> 2;
    f.fill(0, dst, dst + up8(c) * 9);
    for (let ch = 0; ch < c; ch++) for (let t = 0; t < 9; t++) f[dst + ((ch >> 2) * 9 + t) * 4 + (ch & 3)] = f[src + ch * 9 + t];
  };
}
function packBias(m: number) {
  return (b: number, out: number) => {
    const f = engine().f32;
    f.fill(0, out >> 2, (out >> 2) + up8(m));
    f.set(f.subarray(b >> 2, (b >> 2) + m), out >> 2);
  };
}
const irBias = (b: Tensor | null, m: number) => (b ? currentPacked(b, 'ir-bias') || packWeights(b, 'ir-bias', up8(m), packBias(m)) : 0);

/**
 * MobileNetV2's inverted residual, project(dw3x3(expand(x))) [+ x] with each convolution's clamp
 * (expand 1x1, or the 3x3 stride-2 stem, or none -> depthwise 3x3 padding 1, stride 1 or 2 ->
 * project 1x1), computed per tile of output rows so the expanded tensor stays in cache; null where
 * a part's shape does not fit.
 */
export function invertedResidualFast(input: Tensor, expand: BlockConv | null, dw: BlockConv, stride: number, project: BlockConv,
  residual: boolean): Tensor | null {
  const ts = [input, expand?.weight, expand?.bias, dw.weight, dw.bias, project.weight, project.bias];
  if (ts.some((t) => t && t.dtype !== 'float32') || input.dim !== 4 || (stride !== 1 && stride !== 2)) return null;
  const [n, cin, xh, xw] = input.shape, cexp = dw.weight.shape[0], [cout, cexp3, kh3, kw3] = project.weight.shape;
  if (project.weight.dim !== 4 || cexp3 !== cexp || kh3 !== 1 || kw3 !== 1) return null;
  const ke = expand?.weight.shape[2] ?? 1, se = expand?.stride ?? 1;
  if (expand ? expand.weight.shape.join() !== [cexp, cin, ke, ke].join() || !((ke === 1 && se === 1) || (ke === 3 && se === 2)) : cexp !== cin) return null;
  if (dw.weight.shape.join() !== [cexp, 1, 3, 3].join()) return null;
  if ([[expand, cexp], [dw, cexp], [project, cout]].some(([c, m]: any) => c?.bias && (c.bias.dim !== 1 || c.bias.shape[0] !== m))) return null;
  if (n < 1 || xh < 1 || xw < 1) return null;
  const h = Math.floor((xh - 1) / se) + 1, w = Math.floor((xw - 1) / se) + 1;
  const oh = Math.floor((h - 1) / stride) + 1, ow = Math.floor((w - 1) / stride) + 1;
  if (residual && (stride !== 1 || se !== 1 || cout !== cin)) return null;
  const e = engine();
  const rows = Math.max(1, Math.min(oh, Math.floor((IR_TILE_BYTES / (up8(cexp) * (w + 2) * 4) - 3) / stride) + 1));
  const x = contiguous(input);
  const y = Tensor.empty([n, cout, oh, ow], 'float32');
  const v: Record<(typeof IR_PARAMS)[number], number> = {
    n, cin, h, w, cexp, cout, s: stride, oh, ow, x: x.ptr,
    we: expand ? currentPacked(expand.weight, 'ir-1x1') || packWeights(expand.weight, 'ir-1x1', up8(cexp) * cin * ke * ke, pack1x1(cexp, cin * ke * ke, cin * ke * ke)) : 0,
    be: irBias(expand?.bias ?? null, cexp),
    wd: currentPacked(dw.weight, 'ir-dw') || packWeights(dw.weight, 'ir-dw', up8(cexp) * 9, packDepthwise(cexp)), bd: irBias(dw.bias, cexp),
    wp: currentPacked(project.weight, 'ir-1x1') || packWeights(project.weight, 'ir-1x1', up8(cout) * up8(cexp), pack1x1(cout, cexp, up8(cexp))),
    bp: irBias(project.bias, cout),
    y: y.ptr, res: residual ? x.ptr : 0, scratch: 0, rows, xh, xw, ke,
    lo1: expand?.lo ?? -Infinity, hi1: expand?.hi ?? Infinity, lo2: dw.lo, hi2: dw.hi, lo3: project.lo, hi3: project.hi,
  };
  const slots = new Int32Array(IR_PARAMS.length);
  IR_PARAMS.forEach((name, i) => (slots[i] = v[name]));
  const floats = new Float32Array(slots.buffer);
  for (const name of IR_FLOATS) floats[IR_PARAMS.indexOf(name)] = v[name];
  const desc = e.writeDesc(Array.from(slots));
  // Taken before the store: growing the memory replaces the buffer that e.i32 views.
  const scratch = e.scratch(k().inverted_residual_scratch_size(desc) * 4);
  e.i32[(desc >> 2) + IR_PARAMS.indexOf('scratch')] = scratch;
  try {
    k().f32_inverted_residual_wasmsimd(desc);
  } finally {
    if (x !== input) x.dispose();
  }
  return y;
}
