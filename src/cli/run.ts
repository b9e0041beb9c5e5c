// `torchwick run`: loads a TorchScript archive, runs forward on .npy inputs (writing output0.npy,
// ...) or on an image (writing a PNG), and prints load and run times.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tensorToNpy } from '../sdk/npy.js';
import { no_grad } from '../autograd/mode.js';
import { TorchwickError } from '../sdk/errors.js';
import { parseArgs, readUserFile, UsageError } from './args.js';
import { checkSupported, flattenOutputs, forwardArgs, loadModel, ms, type LoadedModel } from './model.js';
import { decodeImage, encodePng, imageToTensor, parseRange, tensorToImage } from './image.js';
import { progress } from './progress.js';

export const HELP = `usage: torchwick run MODEL.pt [--input X.npy]... [--arg VALUE]... --out DIR
       torchwick run MODEL.pt --image IN.jpg|IN.png --out OUT.png [--range 0-255|0-1]

Runs the model's forward and prints load and run times.

  --input X.npy   a tensor argument (repeat for each; order on the command line is forward's order)
  --arg VALUE     a non-tensor argument: 3, 0.5, True, None, [1, 2]
  --out DIR       writes output0.npy, output1.npy, ... (tuples and lists flattened in order,
                  dicts by sorted key)
  --image FILE    image-to-image models: the image as a [1, 3, H, W] float tensor
  --out OUT.png   with --image: the output image, clamped to the value range
  --range R       the model's pixel value range: 0-255 (default) or 0-1`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['input', 'arg', 'out', 'image', 'range'], switches: ['help'] });
  if (args.switches.has('help')) {
    console.log(HELP);
    return 0;
  }
  const [path, extra] = args.positional;
  if (!path || extra) throw new UsageError(`expected one MODEL.pt (see 'torchwick run --help')`);
  const out = args.get('out');
  if (!out) throw new UsageError('--out is required');
  const image = args.get('image');
  if (image && args.all('input').length) throw new UsageError('give either --image or --input, not both');

  // Inputs are read before the (slow) load, so a wrong path fails at once.
  const range = parseRange(args.get('range'));
  const img = image ? decodeImage(readUserFile(image, 'image'), image) : null;
  const inputs = img ? [imageToTensor(img, range), ...forwardArgs(args.ordered)] : forwardArgs(args.ordered);

  const model = await load(path);
  const done = progress('running forward');
  const t0 = performance.now();
  let result: unknown;
  try {
    // Inference: no autograd graph (as PyTorch's C++ users do with NoGradGuard).
    result = no_grad(() => model.module.forward(...inputs));
  } catch (e) {
    if (img && e instanceof TorchwickError) {
      throw new UsageError(`the model cannot run on a ${img.width}x${img.height} image (does it need a fixed input size?): ${e.message.split('\n')[0]}`);
    }
    throw e;
  } finally {
    done();
  }
  console.log(`run: ${ms(performance.now() - t0)}`);

  if (img) {
    const [first] = flattenOutputs(result);
    if (!first) throw new UsageError('the model returned no tensor');
    writeFileSync(out, encodePng(tensorToImage(first, range)));
    console.log(`wrote ${out} (${first.shape.at(-1)}x${first.shape.at(-2)})`);
    return 0;
  }
  mkdirSync(out, { recursive: true });
  flattenOutputs(result).forEach((t, i) => {
    const file = join(out, `output${i}.npy`);
    writeFileSync(file, tensorToNpy(t));
    console.log(`wrote ${file} ${t.dtype} [${t.shape.join(', ')}]`);
  });
  return 0;
}

/** Loads and checks a model, printing the load time (shared with `bench`). */
export async function load(path: string): Promise<LoadedModel> {
  const done = progress(`loading ${path}`);
  let model: LoadedModel;
  try {
    model = await loadModel(path);
    checkSupported(model.module);
  } finally {
    done();
  }
  console.log(`load: ${ms(model.loadMs)} (${(model.bytes / 1024).toFixed(1)} KiB)`);
  return model;
}
