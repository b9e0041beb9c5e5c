// `torchwick demo`: eager ops on the WebAssembly engine, printed as PyTorch prints them.
import { torch } from '../sdk/torch.js';
import { engine } from '../engine/engine.js';

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help')) {
    console.log('usage: torchwick demo\n\nRuns a few eager ops and prints inputs and results.');
    return 0;
  }
  const t0 = performance.now();
  torch.manual_seed(0);
  const x = torch.randn([2, 3]);
  const w = torch.tensor([[1, 0.5, -1], [0.25, 2, 0]]);
  console.log('x =', x.toString());
  console.log('w =', w.toString());
  console.log('torch.sigmoid(x) =', torch.sigmoid(x).toString());
  console.log('x * w + 1 =', x.mul(w).add(1).toString());
  console.log('torch.maximum(x, w) =', torch.maximum(x, w).toString());
  console.log(`engine: ${engine().stats().bytesLive} bytes live; ${(performance.now() - t0).toFixed(1)} ms`);
  return 0;
}
