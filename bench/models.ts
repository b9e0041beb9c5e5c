// `npm run bench -- models [--quick]`: whole networks, in one process: torchwick running the
// TorchScript fixtures (fuser on, and off) beside onnxruntime-web (wasm backend, SIMD, 1 thread)
// and onnxruntime-node (CPU, 1 thread) running the ONNX exports of the same architectures on the
// same input, under no_grad (inference). min/median/max ms after warm-up; ratio = torchwick / onnxruntime-web (medians);
// peak_bytes = the engine's peak live bytes during one forward (weights included).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { engine } from '../src/engine/engine.js';
import { jit, loadFile } from '../src/jit/index.js';
import { tensorFromNpy } from '../src/sdk/npy.js';
import { Tensor } from '../src/sdk/tensor.js';
import { no_grad } from '../src/autograd/mode.js';

const FIXTURES = '../shared/fixtures';

interface ModelCase {
  key: string;
  /** TorchScript fixture (torchscript/NAME.pt, its input0.npy). */
  pt: string;
  onnx: string;
  shape: number[];
}

const CASES: ModelCase[] = [
  { key: 'transformer_net_227', pt: 'transformer_net_traced', onnx: 'transformer_net.onnx', shape: [1, 3, 227, 227] },
  { key: 'mobilenet_v2_224', pt: 'mobilenet_v2_traced', onnx: 'mobilenet_v2.onnx', shape: [1, 3, 224, 224] },
];

interface Timing { min: number; med: number; max: number }

async function measure(warmup: number, runs: number, fn: () => unknown): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { min: ts[0], med: ts[ts.length >> 1], max: ts[ts.length - 1] };
}

const fmt = (t: Timing) => `min ${t.min.toFixed(1)}  med ${t.med.toFixed(1)}  max ${t.max.toFixed(1)} ms`;
const round = (v: number) => +v.toFixed(2);

/** The two onnxruntime sessions of a model: the web build loads its .wasm from node_modules. */
async function ortSessions(file: string) {
  const require = createRequire(import.meta.url);
  const web = await import('onnxruntime-web');
  const native = await import('onnxruntime-node');
  web.env.wasm.numThreads = 1;
  web.env.wasm.wasmPaths = require.resolve('onnxruntime-web').replace(/[^/]*$/, '');
  const bytes = new Uint8Array(readFileSync(`${FIXTURES}/onnx/${file}`));
  return {
    web: { ort: web, session: await web.InferenceSession.create(bytes, { executionProviders: ['wasm'] }) },
    native: { ort: native, session: await native.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 }) },
  };
}

/** Runs one onnxruntime session on `data` (one input, outputs dropped). */
function ortRunner(rt: { ort: any; session: any }, data: Float32Array, shape: number[]): () => Promise<unknown> {
  const feeds = { [rt.session.inputNames[0]]: new rt.ort.Tensor('float32', data, shape) };
  return () => rt.session.run(feeds);
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const warmup = quick ? 1 : 2, runs = quick ? 2 : 10;
  const k = engine().k;
  const results: Record<string, object> = {};
  for (const c of CASES) {
    const module = loadFile(`${FIXTURES}/torchscript/${c.pt}.pt`);
    const x = tensorFromNpy(new Uint8Array(readFileSync(`${FIXTURES}/torchscript/${c.pt}.input0.npy`)));
    if (x.shape.join(',') !== c.shape.join(',')) throw new Error(`${c.pt}.input0.npy has shape [${x.shape}], expected [${c.shape}]`);
    // Inference, as onnxruntime runs it: the loaded parameters require grad, so no_grad keeps
    // autograd from recording (torch.no_grad() in PyTorch).
    const forward = () => no_grad(() => (module.forward(x) as Tensor).dispose());

    const mode = jit.getFuserMode();
    const fused = await measure(warmup, runs, forward);
    k.stat_reset_peak();
    forward();
    const peak = k.stat_peak_bytes() >>> 0;
    jit.setFuserMode('off');
    const unfused = await measure(warmup, runs, forward);
    jit.setFuserMode(mode);

    const data = Float32Array.from(x.dataSync() as Float32Array);
    const ort = await ortSessions(c.onnx);
    const web = await measure(warmup, runs, ortRunner(ort.web, data, c.shape));
    const native = await measure(warmup, runs, ortRunner(ort.native, data, c.shape));
    await ort.web.session.release();
    await ort.native.session.release();
    x.dispose();

    console.log(`${c.key}:`);
    console.log(`  torchwick (fuser ${mode})   ${fmt(fused)}   peak ${(peak / 2 ** 20).toFixed(1)} MiB`);
    console.log(`  torchwick (fuser off)${' '.repeat(Math.max(0, mode.length - 3))}   ${fmt(unfused)}`);
    console.log(`  onnxruntime-web (wasm)   ${fmt(web)}`);
    console.log(`  onnxruntime-node (cpu)   ${fmt(native)}`);
    console.log(`  ratio torchwick / onnxruntime-web: ${(fused.med / web.med).toFixed(2)}`);
    results[c.key] = {
      torchwick_ms: round(fused.med), ort_wasm_ms: round(web.med), ort_native_ms: round(native.med),
      ratio: +(fused.med / web.med).toFixed(3), peak_bytes: peak, torchwick_nofuse_ms: round(unfused.med),
    };
  }
  console.log(JSON.stringify({ suite: 'models', cases: results }));
}
