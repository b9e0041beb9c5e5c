// `npm run bench -- conv [--quick] [--model=mobilenet_v2]`: every distinct convolution layer of TransformerNet (1x3x227x227)
// and MobileNetV2 (1x3x224x224), run by conv2dFast with the algorithm it measures best, then
// MobileNetV2's blocks as the model runs them (fused), beside the WebAssembly SIMD peak measured
// in the same run. GFLOP/s counts direct-convolution FLOPs
// (2 N Cout OH OW Cin/groups KH KW), so Winograd can exceed the peak.
import { engine } from '../src/engine/engine.js';
import { Tensor } from '../src/sdk/tensor.js';
import { conv2dFast, chosenConvAlgorithm, invertedResidualFast, type BlockConv, type ConvActivation } from '../src/ops/conv-fast.js';
import { PEAK_FLOPS_PER_ROUND } from './stats.js';

interface Layer {
  model: string;
  input: [number, number, number, number];
  weight: [number, number, number, number];
  stride: number;
  padding: number;
  groups: number;
  act?: ConvActivation;
  count: number;
}

// TransformerNet pads by reflection before each conv, so its convs have padding 0.
function transformerNet(): Layer[] {
  const l = (input: Layer['input'], weight: Layer['weight'], stride: number, count = 1): Layer =>
    ({ model: 'transformer_net', input, weight, stride, padding: 0, groups: 1, count });
  return [
    l([1, 3, 235, 235], [32, 3, 9, 9], 1),
    l([1, 32, 229, 229], [64, 32, 3, 3], 2),
    l([1, 64, 116, 116], [128, 64, 3, 3], 2),
    l([1, 128, 59, 59], [128, 128, 3, 3], 1, 10),
    l([1, 128, 116, 116], [64, 128, 3, 3], 1),
    l([1, 64, 230, 230], [32, 64, 3, 3], 1),
    l([1, 32, 236, 236], [3, 32, 9, 9], 1),
  ];
}

// torchvision's inverted-residual settings (expansion t, channels c, repeats n, first stride s).
const MOBILENET_V2_SETTINGS = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];

function mobileNetV2(): Layer[] {
  const relu6: ConvActivation = { kind: 'clamp', min: 0, max: 6 };
  const layers = new Map<string, Layer>();
  const add = (cin: number, cout: number, k: number, s: number, h: number, groups: number, act?: ConvActivation) => {
    const key = [cin, cout, k, s, h, groups].join(',');
    const have = layers.get(key);
    if (have) have.count++;
    else layers.set(key, { model: 'mobilenet_v2', input: [1, cin, h, h], weight: [cout, cin / groups, k, k], stride: s, padding: k >> 1, groups, act, count: 1 });
  };
  let h = 224, cin = 32;
  add(3, 32, 3, 2, h, 1, relu6);
  h = 112;
  for (const [t, c, n, s] of MOBILENET_V2_SETTINGS) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1, hidden = cin * t;
      if (t !== 1) add(cin, hidden, 1, 1, h, 1, relu6);
      add(hidden, hidden, 3, stride, h, hidden, relu6);
      h = Math.floor((h - 1) / stride) + 1;
      add(hidden, c, 1, 1, h, 1);
      cin = c;
    }
  }
  add(cin, 1280, 1, 1, h, 1, relu6);
  return [...layers.values()];
}

/** One of MobileNetV2's blocks as the model runs it: one fused kernel (expand, depthwise, project). */
interface Block { cin: number; h: number; hidden: number; stem: boolean; stride: number; cout: number; residual: boolean; count: number }

function mobileNetV2Blocks(): Block[] {
  const blocks = new Map<string, Block>();
  let h = 112, cin = 32;
  for (const [t, c, n, s] of MOBILENET_V2_SETTINGS) {
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1, first = cin === 32 && t === 1;
      // The first block takes the stem (3x3, stride 2, 3 -> 32 channels at 224x224) as its expand.
      const b: Block = first ? { cin: 3, h: 224, hidden: 32, stem: true, stride, cout: c, residual: false, count: 1 }
        : { cin, h, hidden: cin * t, stem: false, stride, cout: c, residual: stride === 1 && cin === c, count: 1 };
      const key = JSON.stringify({ ...b, count: 0 });
      const have = blocks.get(key);
      if (have) have.count++;
      else blocks.set(key, b);
      h = Math.floor((h - 1) / stride) + 1;
      cin = c;
    }
  }
  return [...blocks.values()];
}

/** Direct-convolution FLOPs of a block: expand (or stem), depthwise, project. */
function blockFlop(b: Block): number {
  const h = b.stem ? Math.floor((b.h - 1) / 2) + 1 : b.h, oh = Math.floor((h - 1) / b.stride) + 1;
  const expand = h * h * b.hidden * b.cin * (b.stem ? 9 : 1);
  return 2 * (expand + oh * oh * b.hidden * 9 + oh * oh * b.hidden * b.cout);
}

/** Sorted times (ms) of enough calls for a stable median. */
function timeCalls(call: () => void, flop: number, quick: boolean): number[] {
  const reps = Math.max(quick ? 3 : 5, Math.min(quick ? 10 : 50, Math.ceil((quick ? 2e8 : 2e9) / flop)));
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    call();
    times.push(performance.now() - t0);
  }
  return times.sort((a, c) => a - c);
}

function randomTensor(shape: readonly number[]): Tensor {
  const t = Tensor.empty(shape, 'float32');
  const a = engine().array('float32', t.ptr, t.numel) as Float32Array;
  let s = 1;
  for (let i = 0; i < a.length; i++) a[i] = ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  return t;
}

function measurePeak(): number {
  const k = engine().k;
  const iters = 2_000_000;
  k.f32_peak(iters / 10);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    k.f32_peak(iters);
    best = Math.min(best, performance.now() - t0);
  }
  return (iters * PEAK_FLOPS_PER_ROUND) / best / 1e6;
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const only = args.find((a) => a.startsWith('--model='))?.slice('--model='.length);
  const peak = measurePeak();
  console.log(`WebAssembly SIMD peak (8 chains of f32x4 mul+add, operands loaded as in the GEMM tile): ${peak.toFixed(1)} GFLOP/s`);
  const results: object[] = [];
  const totals: Record<string, number> = {};
  for (const layer of [...transformerNet(), ...mobileNetV2()].filter((l) => !only || l.model === only)) {
    const x = randomTensor(layer.input), w = randomTensor(layer.weight), b = randomTensor([layer.weight[0]]);
    const s: [number, number] = [layer.stride, layer.stride], p: [number, number] = [layer.padding, layer.padding];
    const call = () => conv2dFast(x, w, b, s, p, [1, 1], layer.groups, layer.act);
    const first = call();
    if (!first) throw new Error(`no fast path for ${JSON.stringify(layer)}`);
    const [n, , oh, ow] = first.shape;
    first.dispose();
    const flop = 2 * n * layer.weight[0] * oh * ow * layer.weight[1] * layer.weight[2] * layer.weight[3];
    const times = timeCalls(() => call()!.dispose(), flop, quick);
    const med = times[times.length >> 1], gflops = flop / med / 1e6;
    const algo = chosenConvAlgorithm(layer.input, layer.weight, s, p, [1, 1], layer.groups);
    const shape = `${layer.input.join('x')} * ${layer.weight.join('x')} s${layer.stride} p${layer.padding}${layer.groups > 1 ? ` g${layer.groups}` : ''}`;
    totals[layer.model] = (totals[layer.model] ?? 0) + med * layer.count;
    console.log(`${layer.model.padEnd(16)} ${shape.padEnd(44)} x${String(layer.count).padEnd(3)} ${String(algo).padEnd(9)} ` +
      `min ${times[0].toFixed(2)} med ${med.toFixed(2)} max ${times[times.length - 1].toFixed(2)} ms  ${gflops.toFixed(1)} GFLOP/s (${(100 * gflops / peak).toFixed(0)}% of peak)`);
    results.push({ model: layer.model, shape, count: layer.count, algo, ms: +med.toFixed(3), min_ms: +times[0].toFixed(3),
      max_ms: +times[times.length - 1].toFixed(3), gflops: +gflops.toFixed(2), pct_of_peak: +(100 * gflops / peak).toFixed(1) });
    for (const t of [x, w, b]) t.dispose();
  }
  for (const [model, ms] of Object.entries(totals)) console.log(`${model}: all convolutions ${ms.toFixed(1)} ms (sum of medians x count)`);
  const blocks = !only || only === 'mobilenet_v2' ? runBlocks(peak, quick) : [];
  console.log(JSON.stringify({ suite: 'conv', peak_gflops: +peak.toFixed(2), layers: results, blocks }));
}

// MobileNetV2 runs its convolutions fused per inverted-residual block (the depthwise above is the
// standalone kernel; inside a block it works on channel vectors): each distinct block, timed.
function runBlocks(peak: number, quick: boolean): object[] {
  const relu6 = { lo: 0, hi: 6 }, none = { lo: -Infinity, hi: Infinity };
  const results: object[] = [];
  let total = 0;
  for (const b of mobileNetV2Blocks()) {
    const conv = (shape: number[], range: { lo: number; hi: number }, stride?: number): BlockConv =>
      ({ weight: randomTensor(shape), bias: randomTensor([shape[0]]), ...range, stride });
    const x = randomTensor([1, b.cin, b.h, b.h]);
    const expand = b.stem ? conv([b.hidden, 3, 3, 3], relu6, 2) : b.hidden === b.cin ? null : conv([b.hidden, b.cin, 1, 1], relu6, 1);
    const dw = conv([b.hidden, 1, 3, 3], relu6), project = conv([b.cout, b.hidden, 1, 1], none);
    const call = () => invertedResidualFast(x, expand, dw, b.stride, project, b.residual);
    const first = call();
    if (!first) throw new Error(`no fused path for ${JSON.stringify(b)}`);
    first.dispose();
    const flop = blockFlop(b), times = timeCalls(() => call()!.dispose(), flop, quick);
    const med = times[times.length >> 1], gflops = flop / med / 1e6;
    const shape = `1x${b.cin}x${b.h}x${b.h} ${b.stem ? 'stem 3x3/2' : expand ? `expand ${b.hidden}` : 'no expand'} s${b.stride} -> ${b.cout}${b.residual ? ' +x' : ''}`;
    total += med * b.count;
    console.log(`mobilenet_v2 block ${shape.padEnd(42)} x${String(b.count).padEnd(3)} min ${times[0].toFixed(2)} med ${med.toFixed(2)} ` +
      `max ${times[times.length - 1].toFixed(2)} ms  ${gflops.toFixed(1)} GFLOP/s (${(100 * gflops / peak).toFixed(0)}% of peak)`);
    results.push({ shape, count: b.count, ms: +med.toFixed(3), min_ms: +times[0].toFixed(3), max_ms: +times[times.length - 1].toFixed(3),
      gflops: +gflops.toFixed(2), pct_of_peak: +(100 * gflops / peak).toFixed(1) });
    for (const t of [x, expand?.weight, expand?.bias, dw.weight, dw.bias, project.weight, project.bias]) t?.dispose();
  }
  console.log(`mobilenet_v2: all blocks (stem and 17 inverted residuals, fused) ${total.toFixed(1)} ms (sum of medians x count)`);
  return results;
}
