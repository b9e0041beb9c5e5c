// `torchwick info`: what is inside a TorchScript archive, and whether torchwick can run it.
import { parseArgs, UsageError } from './args.js';
import { loadModel, ms, opsUsed } from './model.js';

export const HELP = `usage: torchwick info MODEL.pt

Prints the archive size, the classes and their methods, the parameters and buffers with their
shapes, and every op the model uses, marking those torchwick does not support.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [], switches: ['help'] });
  if (args.switches.has('help')) {
    console.log(HELP);
    return 0;
  }
  const [path, extra] = args.positional;
  if (!path || extra) throw new UsageError(`expected one MODEL.pt (see 'torchwick info --help')`);
  const { module, bytes, loadMs } = await loadModel(path);
  console.log(`archive: ${path}, ${bytes} bytes, loaded in ${ms(loadMs)}`);

  console.log('classes:');
  const seen = new Set<string>();
  for (const [name, m] of module.named_modules()) {
    if (seen.has(m.cls.qualname)) continue;
    seen.add(m.cls.qualname);
    console.log(`  ${m.cls.qualname}${name ? ` (${name})` : ''}: ${[...m.cls.methods.keys()].join(', ') || 'no methods'}`);
  }

  const tensors = [...module.named_parameters().map(([n, t]) => ['parameter', n, t] as const),
    ...module.named_buffers().map(([n, t]) => ['buffer', n, t] as const)];
  const count = tensors.reduce((a, [, , t]) => a + t.numel, 0);
  console.log(`parameters and buffers: ${tensors.length} tensors, ${count} values`);
  for (const [kind, n, t] of tensors) console.log(`  ${n}: ${kind} ${t.dtype} [${t.shape.join(', ')}]`);

  const ops = opsUsed(module);
  const missing = ops.filter((o) => !o.supported);
  console.log(`ops: ${ops.length} kinds, ${missing.length} unsupported`);
  for (const o of ops) console.log(`  ${o.supported ? ' ' : '!'} ${o.kind} x${o.count}${o.supported ? '' : '  (not supported)'}`);
  return 0;
}
