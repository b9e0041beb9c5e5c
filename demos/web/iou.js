// The IoU page: the scripted ratio_iou's graph, and its timings beside the eager JS version.
import * as torchwick from './dist/torchwick.mjs';
import { showError } from './pixels.js';

const { torch } = torchwick;
const RUNS = 20;
const $ = (id) => document.getElementById(id);

/** The talk's ratio_iou, eagerly: one op (and one kernel) per line. */
function iouEager(x1, y1, w1, h1, x2, y2, w2, h2) {
  const xi = torch.maximum(x1, x2);
  const yi = torch.maximum(y1, y2);
  const wi = torch.clamp(torch.minimum(x1.add(w1), x2.add(w2)).sub(xi), 0);
  const hi = torch.clamp(torch.minimum(y1.add(h1), y2.add(h2)).sub(yi), 0);
  const areaI = wi.mul(hi);
  const areaU = w1.mul(h1).add(w2.mul(h2)).sub(areaI);
  return areaI.div(torch.clamp(areaU, 1e-5));
}

/** min and median milliseconds of `fn`, freeing what each run allocates. */
function time(fn) {
  torchwick.tidy(fn);
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    torchwick.tidy(fn);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { min: ms[0], median: ms[RUNS >> 1] };
}

/** How many ops a graph runs: every node but constants and the plumbing around them. */
const kernelCount = (graph) => graph.split('\n').filter((l) => /= aten::/.test(l)).length;

async function main() {
  await torchwick.init();
  const res = await fetch('models/iou_scripted.pt');
  if (!res.ok) throw new Error(`cannot fetch models/iou_scripted.pt: HTTP ${res.status}`);
  const module = await torchwick.jit.load(new Uint8Array(await res.arrayBuffer()));
  const graph = module.graph;
  $('graph').textContent = graph;

  torch.manual_seed(0);
  const inputs = Array.from({ length: 8 }, () => torch.rand([100, 1000]));
  const a = iouEager(...inputs), b = module.forward(...inputs);
  const diff = torch.abs(a.sub(b)).max().item();
  const rows = [
    ['eager (JavaScript calls)', time(() => iouEager(...inputs)), kernelCount(graph)],
    ['scripted (TorchScript archive)', time(() => module.forward(...inputs)), kernelCount(graph)],
  ];
  $('timings').tBodies[0].innerHTML = rows.map(([name, t, k]) =>
    `<tr><td>${name}</td><td>${t.min.toFixed(2)} ms</td><td>${t.median.toFixed(2)} ms</td><td>${k}</td></tr>`).join('');
  $('status').textContent = `eager and scripted agree to ${diff.toExponential(1)}; the fuser (one kernel instead of ${kernelCount(graph)}) comes next`;
  document.body.dataset.state = 'done';
}

main().catch(showError);
