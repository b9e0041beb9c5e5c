// `torchwick graph`: prints a method's IR as PyTorch prints it.
import { optimize } from '../jit/pipeline.js';
import { printGraph } from '../jit/printer.js';
import { parseArgs, UsageError } from './args.js';
import { loadModel } from './model.js';

export const HELP = `usage: torchwick graph MODEL.pt [--method NAME] [--before-passes]

Prints the IR of a method (default: forward) after the jit's optimisation passes, or with
--before-passes as compiled from the archive's code (PyTorch's \`module.graph\`).`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['method'], switches: ['help', 'before-passes'] });
  if (args.switches.has('help')) {
    console.log(HELP);
    return 0;
  }
  const [path, extra] = args.positional;
  if (!path || extra) throw new UsageError(`expected one MODEL.pt (see 'torchwick graph --help')`);
  const method = args.get('method') ?? 'forward';
  const { module } = await loadModel(path);
  if (!module.cls.method(method)) throw new UsageError(`the model has no method '${method}' (it has: ${[...module.cls.methods.keys()].join(', ')})`);
  const g = module.graphOf(method);
  process.stdout.write(printGraph(args.switches.has('before-passes') ? g : optimize(g.copy())));
  return 0;
}
