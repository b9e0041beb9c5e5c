// Saves the archives whose PyTorch round trip test/jit/save.test.ts checks: the fixture models
// loaded and re-saved by torchwick, and the talk's JS functions traced and scripted then saved.
// Writes OUT/<case>.pt, the fixture inputs and outputs (.npy) and OUT/cases.json for check_in_pytorch.py.
// Run from the repository root after `npm run build:ts`: node tools/roundtrip/save_archives.mjs OUT
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { jit, torch } from '../../build/js/src/index.js';
import { tensorFromNpy } from '../../build/js/src/sdk/npy.js';
import * as talk from '../../examples/talk.js';

const FIXTURES = '../shared/fixtures/torchscript/';
const out = process.argv[2];
if (!out) throw new Error('usage: node tools/roundtrip/save_archives.mjs OUT_DIR');
mkdirSync(out, { recursive: true });

const LOADED = ['iou_traced', 'iou_scripted', 'loop_traced', 'loop_scripted', 'control_flow_scripted',
  'transformer_net_traced', 'transformer_net_scripted', 'mobilenet_v2_traced', 'squeezenet1_1_traced'];
const manifest = JSON.parse(readFileSync(`${FIXTURES}manifest.json`, 'utf8'));
const npy = (f) => tensorFromNpy(new Uint8Array(readFileSync(FIXTURES + f)));

const cases = [];
/** `from`: the fixture case whose inputs and outputs this case shares. */
function add(name, from, bytes) {
  writeFileSync(`${out}/${name}.pt`, bytes);
  const spec = manifest.cases.find((c) => c.name === from);
  let k = 0;
  const inputs = spec.inputs.map((kind) => {
    if (kind !== 'tensor') return Number(kind);
    const file = `${from}.input${k++}.npy`;
    copyFileSync(FIXTURES + file, `${out}/${file}`);
    return { npy: file };
  });
  copyFileSync(`${FIXTURES}${from}.output0.npy`, `${out}/${from}.output0.npy`);
  cases.push({ name, fixture: from, inputs });
  console.log(`${name}: ${bytes.length} bytes`);
}

for (const name of LOADED) add(name, name, jit.loadFile(`${FIXTURES}${name}.pt`).save());
// Weights changed after loading (as training would) must be what is saved: lin.weight halved.
const modified = jit.loadFile(`${FIXTURES}control_flow_scripted.pt`);
torch.no_grad(() => modified.getattr('lin').getattr('weight').mul_(0.5));
add('control_flow_modified', 'control_flow_scripted', modified.save());
const x = npy('loop_traced.input0.npy');
const boxes = Array.from({ length: 8 }, (_, k) => npy(`iou_traced.input${k}.npy`));
add('js_loop_traced', 'loop_traced', jit.trace(talk.myfn, [x]).save());
add('js_loop_scripted', 'loop_scripted', jit.script(talk.scriptFn).save());
add('js_iou_traced', 'iou_traced', jit.trace(talk.ratioIou, boxes).save());
add('js_iou_scripted', 'iou_traced', jit.script(talk.ratioIouScripted).save());
writeFileSync(`${out}/cases.json`, `${JSON.stringify(cases, null, 1)}\n`);
