// `torchwick bench`: load time, first run and steady-state min/median/max of forward.
import { tidy } from '../sdk/tensor.js';
import { no_grad } from '../autograd/mode.js';
import { intOption, parseArgs, UsageError } from './args.js';
import { forwardArgs, ms } from './model.js';
import { counter, progress } from './progress.js';
import { load } from './run.js';

export const HELP = `usage: torchwick bench MODEL.pt [--input X.npy]... [--arg VALUE]... [--runs N] [--json]

Times loading, the first forward and N more (default 10): min, median and max.
--json ends the output with one JSON line of the timings.`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['input', 'arg', 'runs'], switches: ['help', 'json'] });
  if (args.switches.has('help')) {
    console.log(HELP);
    return 0;
  }
  const [path, extra] = args.positional;
  if (!path || extra) throw new UsageError(`expected one MODEL.pt (see 'torchwick bench --help')`);
  const runs = intOption(args, 'runs', 10, 1);
  const inputs = forwardArgs(args.ordered);
  const { module, loadMs } = await load(path);
  // Outputs are freed each time so that steady state measures the model, not a growing heap.
  const once = () => {
    const t0 = performance.now();
    tidy(() => { no_grad(() => module.forward(...inputs)); });
    return performance.now() - t0;
  };
  const done = progress('first run');
  const first = once();
  done();
  const tick = counter('run', runs);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    tick(i);
    times.push(once());
  }
  tick(runs);
  times.sort((a, b) => a - b);
  const r = { load_ms: loadMs, first_ms: first, min_ms: times[0], median_ms: times[times.length >> 1], max_ms: times.at(-1)!, runs };
  if (args.switches.has('json')) console.log(JSON.stringify(r));
  else console.log(`first run: ${ms(first)}\nsteady state (${runs} runs): min ${ms(r.min_ms)}, median ${ms(r.median_ms)}, max ${ms(r.max_ms)}`);
  return 0;
}
