import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire('/work/main/package.json');
const ortw = await import('onnxruntime-web');
const ortn = await import('onnxruntime-node');
const dist = require.resolve('onnxruntime-web').replace(/[^/]*$/, '');
console.log(dist);
ortw.env.wasm.numThreads = 1;
ortw.env.wasm.wasmPaths = dist;
const model = readFileSync('/work/shared/fixtures/onnx/mobilenet_v2.onnx');
const sw = await ortw.InferenceSession.create(model, { executionProviders: ['wasm'] });
console.log(sw.inputNames, sw.outputNames);
const data = new Float32Array(3 * 224 * 224).fill(0.5);
const feeds = { [sw.inputNames[0]]: new ortw.Tensor('float32', data, [1, 3, 224, 224]) };
for (let i = 0; i < 3; i++) { const t0 = performance.now(); await sw.run(feeds); console.log('web', performance.now() - t0); }
const sn = await ortn.InferenceSession.create(model, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
const feedn = { [sn.inputNames[0]]: new ortn.Tensor('float32', data, [1, 3, 224, 224]) };
for (let i = 0; i < 3; i++) { const t0 = performance.now(); await sn.run(feedn); console.log('node', performance.now() - t0); }
