// Printing like PyTorch's torch/_tensor_str.py: `tensor([[1., 2.], ...])`, precision 4,
// scientific notation for wide ranges, summarised with `...` above 1000 elements.
import type { Tensor } from './tensor.js';
import { contiguous } from '../ops/exec.js';

const PRECISION = 4, THRESHOLD = 1000, EDGE = 3;

function floatFormatter(values: number[]): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const abs = finite.map(Math.abs).filter((v) => v !== 0);
  const intMode = finite.every((v) => Number.isInteger(v));
  const max = abs.length ? Math.max(...abs) : 0, min = abs.length ? Math.min(...abs) : 0;
  const sci = abs.length > 0 && (max / min > 1000 || max > 1e8 || min < 1e-4);
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (intMode && !sci) return (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  if (sci)
    return (v) => {
      if (!Number.isFinite(v)) return special(v);
      const [m, e] = v.toExponential(PRECISION).split('e');
      const ex = Number(e);
      return `${m}e${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
    };
  return (v) => (Number.isFinite(v) ? v.toFixed(PRECISION) : special(v));
}

export function formatTensor(t: Tensor): string {
  const data: any[] = [];
  const flat = contiguous(t);
  const all = flat.toArray();
  if (flat !== t) flat.dispose();
  const summarize = t.numel > THRESHOLD;
  // Collect the printed elements so the width is shared (PyTorch pads to the widest).
  (function gather(v: any) {
    if (Array.isArray(v)) {
      const idx = summarize && v.length > 2 * EDGE ? [...v.slice(0, EDGE), ...v.slice(-EDGE)] : v;
      idx.forEach(gather);
    } else data.push(v);
  })(all);
  const fmt: (v: any) => string =
    t.dtype === 'bool' ? (v) => (v ? 'True' : 'False') : t.dtype === 'float32' || t.dtype === 'float64' ? floatFormatter(data as number[]) : (v) => String(v);
  const width = Math.max(1, ...data.map((v) => fmt(v).length));
  const indent = 'tensor('.length;
  const render = (v: any, depth: number): string => {
    if (!Array.isArray(v)) return fmt(v).padStart(width);
    const cut = summarize && v.length > 2 * EDGE;
    const parts = (cut ? [...v.slice(0, EDGE), null, ...v.slice(-EDGE)] : v).map((x: any) => (x === null ? '...' : render(x, depth + 1)));
    if (depth === t.dim - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(t.dim - depth - 1) + ' '.repeat(indent + depth + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = t.dim === 0 ? fmt(all) : render(all, 0);
  const suffix = t.dtype === 'float32' || t.dtype === 'int64' || t.dtype === 'bool' ? '' : `, dtype=torch.${t.dtype}`;
  const empty = t.numel === 0 && t.dim > 1 ? `, size=(${t.shape.join(', ')})` : '';
  return `tensor(${body}${empty}${suffix})`;
}
