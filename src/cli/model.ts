// What every model command shares: reading a .pt archive, loading it with the jit, the ops it
// uses (checked against the op table before anything runs), forward's arguments and outputs.
import { load, type ScriptModule } from '../jit/index.js';
import { allNodes } from '../jit/ir.js';
import { OP_TABLE } from '../ops/index.js';
import { Tensor } from '../sdk/tensor.js';
import { TorchwickError } from '../sdk/errors.js';
import { tensor } from '../sdk/creation.js';
import { tensorFromNpy } from '../sdk/npy.js';
import { readUserFile, UsageError } from './args.js';

export interface LoadedModel { module: ScriptModule; bytes: number; loadMs: number }

export async function loadModel(path: string): Promise<LoadedModel> {
  const data = readUserFile(path, 'model');
  const t0 = performance.now();
  const module = await load(data);
  return { module, bytes: data.length, loadMs: performance.now() - t0 };
}

/** Op kinds handled by the interpreter itself rather than the op table. */
const isInterpreted = (kind: string) => kind.startsWith('prim::');

export interface OpUse { kind: string; count: number; supported: boolean }

/** Every op that any method of any submodule uses, with its count and table support. */
export function opsUsed(module: ScriptModule): OpUse[] {
  const counts = new Map<string, number>();
  for (const [, m] of module.named_modules()) {
    for (const name of m.cls.methods.keys()) {
      for (const n of allNodes(m.graphOf(name).block)) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
    }
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => ({ kind, count, supported: isInterpreted(kind) || OP_TABLE.has(kind) }));
}

export class UnsupportedOpsError extends TorchwickError {
  constructor(readonly ops: string[]) {
    super(`the model uses ops torchwick does not support: ${ops.join(', ')}`);
  }
}

/** Fails before running when the model needs ops the table lacks. */
export function checkSupported(module: ScriptModule): void {
  const missing = opsUsed(module).filter((o) => !o.supported).map((o) => o.kind);
  if (missing.length) throw new UnsupportedOpsError(missing);
}

/** forward's arguments in command-line order: `--input x.npy` tensors and `--arg 3` values. */
export function forwardArgs(ordered: readonly { name: string; value: string }[]): unknown[] {
  return ordered.filter((o) => o.name === 'input' || o.name === 'arg')
    .map((o) => (o.name === 'input' ? tensorFromNpy(readUserFile(o.value, 'input')) : parseArg(o.value)));
}

/** `--arg` values: numbers, true/false, None, or JSON lists. */
function parseArg(s: string): unknown {
  if (s === 'None') return null;
  if (s === 'True') return true;
  if (s === 'False') return false;
  try {
    return JSON.parse(s);
  } catch {
    throw new UsageError(`--arg '${s}' is not a number, bool, None or JSON list`);
  }
}

/** Output tensors in order: tuples and lists flattened, dicts by sorted key, scalars as 0-d tensors. */
export function flattenOutputs(v: unknown, out: Tensor[] = []): Tensor[] {
  if (v instanceof Tensor) out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => flattenOutputs(x, out));
  else if (v instanceof Map) [...v.keys()].sort(compareKeys).forEach((k) => flattenOutputs(v.get(k), out));
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out.push(tensor(v as any));
  else if (v && typeof v === 'object') Object.keys(v).sort().forEach((k) => flattenOutputs((v as any)[k], out));
  return out;
}

const compareKeys = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));

/** "12.3 ms" */
export const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 1)} ms`;
