// Runs a compiled graph: prim nodes (control flow, containers, attributes, calls) are handled
// here; every other node calls its op-table row directly. Memory (DESIGN rule 5): each frame owns
// the tensors its ops created and frees one when the last value holding it dies, unless it went
// into a container or object ("escaped"), in which case it is freed when the frame ends if no
// output or input still reaches it. Tensors a frame returns pass to its caller.
import { Tensor } from '../../sdk/tensor.js';
import { SCALAR_TYPE } from '../../sdk/dtype.js';
import { UnknownOpError } from '../../sdk/errors.js';
import { OP_TABLE } from '../../ops/index.js';
import { runRow } from '../../ops/dispatch.js';
import type { OpRow } from '../../ops/table.js';
import type { SType } from '../../ops/schema.js';
import { constantValue, type Block, type ConstTensor, type Graph, type Node, type Value } from '../ir.js';
import type { JitType } from '../types.js';
import { ScriptObject, createObject, literalValue, type ClassInfo } from '../module.js';
import { findOverload } from '../compile/schema-match.js';
import { RESOLVED_ROWS, UNRESOLVED, tensorOfConst } from '../compile/resolved.js';
import type { CompilationUnit, ScriptFunction } from '../compile/unit.js';
import { applyStaticTypes, floatToTensor, pyStr } from './static-types.js';
import { ScriptRuntimeError } from './errors.js';
import { liveness } from './liveness.js';
import { runFusionGroup } from '../fuser/launch.js';

/** State shared by all frames of one top-level call. */
interface Run {
  /** Tensors that went into a container or object: freed only at frame end. */
  escaped: Set<Tensor>;
  /** Every tensor some frame created during this run. */
  created: WeakSet<Tensor>;
}

/** Calls a script function with JS values; the result is a JS value (Tensor, number, array...). */
export function runFunction(fn: ScriptFunction, args: readonly unknown[]): any {
  const run: Run = { escaped: new Set(), created: new WeakSet() };
  return callFunction(run, fn, withDefaults(fn, args)).value;
}

function withDefaults(fn: ScriptFunction, args: readonly unknown[]): unknown[] {
  const params = fn.signature().params;
  if (args.length > params.length) throw new ScriptRuntimeError(`${fn.qualname}() takes ${params.length} arguments but ${args.length} were given`, 'builtins.TypeError', '');
  const out = [...args];
  for (let i = args.length; i < params.length; i++) {
    const p = params[i];
    if (!p.default) throw new ScriptRuntimeError(`${fn.qualname}() missing required argument '${p.name}'`, 'builtins.TypeError', '');
    out.push(literalValue(p.default, (m) => { throw new ScriptRuntimeError(m, 'builtins.TypeError', ''); }, fn.def));
  }
  return out;
}

function callFunction(run: Run, fn: ScriptFunction, args: unknown[]): { value: unknown; survivors: Tensor[] } {
  const frame = new Frame(run, fn.unit, fn.graph);
  return frame.execute(args);
}

/** Tensors reachable from a value through lists, tuples, dicts and objects. */
function reachable(x: unknown, out: Set<Tensor>, seen = new Set<object>()): Set<Tensor> {
  if (x instanceof Tensor) out.add(x);
  else if (typeof x === 'object' && x !== null && !seen.has(x)) {
    seen.add(x);
    if (Array.isArray(x)) for (const y of x) reachable(y, out, seen);
    else if (x instanceof Map) x.forEach((v, k) => { reachable(k, out, seen); reachable(v, out, seen); });
    else if (x instanceof ScriptObject) x.attrs.forEach((v) => reachable(v, out, seen));
  }
  return out;
}

/** Tensors directly in a value or its lists/tuples/dicts (not objects). */
function containedTensors(x: unknown, f: (t: Tensor, nested: boolean) => void, nested = false): void {
  if (x instanceof Tensor) f(x, nested);
  else if (Array.isArray(x)) for (const y of x) containedTensors(y, f, true);
  else if (x instanceof Map) x.forEach((v, k) => { containedTensors(k, f, true); containedTensors(v, f, true); });
}

function where(n: Node): string {
  const r = n.sourceRange;
  return r ? `${r.file}:${r.line}:${r.col}` : '';
}

const DTYPE_ARGS = new WeakMap<OpRow, number[]>();
const isScalarTypeArg = (t: SType): boolean => (t.kind === 'Optional' ? isScalarTypeArg(t.elem) : t.kind === 'prim' && t.name === 'ScalarType');

/** Indices of a row's `ScalarType` arguments, which rows receive as dtype strings. */
function dtypeArgs(row: OpRow): number[] {
  let xs = DTYPE_ARGS.get(row);
  if (!xs) {
    xs = row.parsed.args.flatMap((a, i) => (isScalarTypeArg(a.type) ? [i] : []));
    DTYPE_ARGS.set(row, xs);
  }
  return xs;
}

/** The row of an op node: recorded by the emitter, or found again from the input types. */
function rowOf(n: Node): OpRow {
  const known = RESOLVED_ROWS.get(n);
  if (known) return known;
  const rows = OP_TABLE.get(n.kind);
  const reason = UNRESOLVED.get(n);
  if (rows && !reason) {
    const positional = rows.map((r) => ({ ...r, parsed: { ...r.parsed, args: r.parsed.args.map((a) => ({ ...a, kwargOnly: false })) } }));
    const m = findOverload(positional, n.inputs, new Map());
    if (m) {
      const row = rows[positional.indexOf(m.row)];
      RESOLVED_ROWS.set(n, row);
      return row;
    }
  }
  throw new UnknownOpError(n.kind, reason ?? `at ${where(n)}`);
}

/** An environment slot's mark for a value bound to `undefined` (an empty slot is unbound). */
const UNDEFINED = Symbol('undefined');

/** A node to run, and the values to release after it. */
interface Step { node: Node; kill: readonly Value[] | undefined }

/**
 * A graph prepared for running, once per graph (graphs are not changed once they run, as for
 * liveness): its constants evaluated up front (a network's forward has hundreds: parameters,
 * strides, flags), and each block's other nodes in a list. Lists stay nodes, evaluated per run
 * into fresh arrays, since an op may mutate a list it is given. Constants are never released: a
 * loop body reads its constants again on the next trip.
 */
interface Prepared {
  /** The environment every frame starts from: constant values by `Value.unique`. */
  env: unknown[];
  steps: Map<Block, Step[]>;
  atReturn: Map<Block, readonly Value[]>;
  unusedParams: Map<Block, readonly Value[]>;
}

const PREPARED = new WeakMap<Graph, Prepared>();

function prepare(g: Graph): Prepared {
  let p = PREPARED.get(g);
  if (p) return p;
  const live = liveness(g);
  const env: unknown[] = new Array(g.nextUnique);
  const hoisted = new Set<Value>();
  const keep = (vs: readonly Value[] | undefined) => vs?.filter((v) => !hoisted.has(v));
  const steps = new Map<Block, Step[]>();
  const visit = (b: Block) => {
    const list: Step[] = [];
    for (const n of b.nodes()) {
      if (n.kind === 'prim::Constant') {
        const v = hoistedConstant(n.output());
        if (v !== NOT_HOISTED) {
          env[n.output().unique] = v === undefined ? UNDEFINED : v;
          hoisted.add(n.output());
          continue;
        }
      }
      n.blocks.forEach(visit);
      list.push({ node: n, kill: live.afterNode.get(n) });
    }
    steps.set(b, list);
  };
  visit(g.block);
  for (const list of steps.values()) for (const st of list) st.kill = keep(st.kill);
  const filtered = (m: Map<Block, Value[]>) => new Map([...m].map(([b, vs]) => [b, keep(vs)!]));
  p = { env, steps, atReturn: filtered(live.atReturn), unusedParams: filtered(live.unusedParams) };
  PREPARED.set(g, p);
  return p;
}

const NOT_HOISTED = Symbol('not hoisted');

/** A constant's run-time value when it can be computed once and shared (not a list, not an error). */
function hoistedConstant(v: Value): unknown {
  const c = constantValue(v);
  if (Array.isArray(c)) return NOT_HOISTED;
  if (c !== null && typeof c === 'object') return tensorOfConst(c as ConstTensor) ?? NOT_HOISTED;
  return typeof c === 'bigint' ? Number(c) : c === undefined ? null : c;
}

class Frame {
  /** Values by `Value.unique` (below the graph's `nextUnique`): an array, not a Map, on the per-call path. */
  private readonly env: unknown[];
  private readonly refs = new Map<Tensor, number>();
  private readonly owned = new Set<Tensor>();
  private readonly prepared: Prepared;

  constructor(private readonly run: Run, private readonly unit: CompilationUnit, private readonly graph: Graph) {
    this.prepared = prepare(graph);
    this.env = this.prepared.env.slice();
  }

  execute(args: unknown[]): { value: unknown; survivors: Tensor[] } {
    let outs: unknown[] = [];
    try {
      if (args.length !== this.graph.inputs.length) {
        throw new ScriptRuntimeError(`expected ${this.graph.inputs.length} arguments, got ${args.length}`, 'builtins.TypeError', '');
      }
      outs = this.block(this.graph.block, args);
    } catch (err) {
      this.finish([], args);
      throw err;
    }
    const survivors = this.finish(outs, args);
    return { value: outs.length === 1 ? outs[0] : outs, survivors };
  }

  /** Frees what the frame owns unless an output (or, if it escaped, an input) reaches it. */
  private finish(outs: unknown[], args: unknown[]): Tensor[] {
    const keep = reachable(outs, new Set());
    let fromInputs: Set<Tensor> | null = null;
    const survivors: Tensor[] = [];
    for (const t of this.owned) {
      if (keep.has(t)) { survivors.push(t); continue; }
      if (this.run.escaped.has(t)) {
        fromInputs ??= reachable(args, new Set());
        if (fromInputs.has(t)) { survivors.push(t); continue; }
      }
      this.run.escaped.delete(t);
      t.dispose();
    }
    this.owned.clear();
    return survivors;
  }

  private get(v: Value): unknown {
    const x = this.env[v.unique];
    if (x === undefined) throw new ScriptRuntimeError(`value %${v.debugName()} is used before it is defined`, null, where(v.node()));
    return x === UNDEFINED ? undefined : x;
  }

  private bind(v: Value, x: unknown): void {
    this.env[v.unique] = x === undefined ? UNDEFINED : x;
    if (x instanceof Tensor) this.refs.set(x, (this.refs.get(x) ?? 0) + 1);
  }

  private release(x: unknown): void {
    if (!(x instanceof Tensor)) return;
    const n = (this.refs.get(x) ?? 1) - 1;
    if (n > 0) { this.refs.set(x, n); return; }
    this.refs.delete(x);
    if (this.owned.has(x) && !this.run.escaped.has(x)) {
      this.owned.delete(x);
      x.dispose();
    }
  }

  private kill(vs: readonly Value[] | undefined): void {
    if (!vs) return;
    for (const v of vs) {
      const x = this.env[v.unique];
      this.env[v.unique] = undefined;
      this.release(x);
    }
  }

  private hold(xs: readonly unknown[]): void {
    for (const x of xs) if (x instanceof Tensor) this.refs.set(x, (this.refs.get(x) ?? 0) + 1);
  }

  /** Runs a block; its outputs come back held (the caller binds them, then releases the hold). */
  private block(b: Block, inputs: readonly unknown[], release: readonly unknown[] = []): unknown[] {
    b.inputs.forEach((p, i) => this.bind(p, inputs[i]));
    release.forEach((x) => this.release(x));
    this.kill(this.prepared.unusedParams.get(b));
    for (const st of this.prepared.steps.get(b)!) {
      this.node(st.node);
      this.kill(st.kill);
    }
    const outs = b.outputs.map((v) => this.get(v));
    this.hold(outs);
    this.kill(this.prepared.atReturn.get(b));
    return outs;
  }

  private bindOutputs(n: Node, xs: readonly unknown[]): void {
    n.outputs.forEach((o, i) => this.bind(o, xs[i]));
  }

  private escape(x: unknown): void {
    containedTensors(x, (t) => this.run.escaped.add(t));
  }

  private adopt(ts: readonly Tensor[]): void {
    for (const t of ts) this.owned.add(t);
  }

  private node(n: Node): void {
    const ins = () => n.inputs.map((v) => this.get(v));
    switch (n.kind) {
      case 'prim::Constant': return this.bind(n.output(), this.constant(n.output()));
      case 'prim::If': {
        const outs = this.block(n.blocks[this.get(n.input(0)) ? 0 : 1], []);
        this.bindOutputs(n, outs);
        outs.forEach((x) => this.release(x));
        return;
      }
      case 'prim::Loop': return this.loop(n);
      case 'prim::GetAttr': return this.bind(n.output(), (this.get(n.input(0)) as ScriptObject).getattr(n.getAttr('name', 's')));
      case 'prim::SetAttr': {
        const v = this.get(n.input(1));
        this.escape(v);
        (this.get(n.input(0)) as ScriptObject).setattr(n.getAttr('name', 's'), v);
        return;
      }
      case 'prim::CallMethod': case 'prim::CallFunction': return this.call(n, ins());
      case 'prim::FusionGroup': return this.op(n, ins(), (args) => runFusionGroup(n, args));
      case 'prim::NumToTensor': return this.op(n, ins(), floatToTensor(n) ?? undefined);
      case 'prim::TupleConstruct': case 'prim::ListConstruct': {
        const xs = ins();
        this.escape(xs);
        return this.bind(n.output(), xs);
      }
      case 'prim::DictConstruct': {
        const xs = ins();
        this.escape(xs);
        const m = new Map();
        for (let i = 0; i < xs.length; i += 2) m.set(xs[i], xs[i + 1]);
        return this.bind(n.output(), m);
      }
      case 'prim::TupleUnpack': case 'prim::ListUnpack': {
        const xs = this.get(n.input(0)) as unknown[];
        if (xs.length !== n.outputs.length) throw new ScriptRuntimeError(`expected ${n.outputs.length} values to unpack, got ${xs.length}`, 'builtins.ValueError', where(n));
        return this.bindOutputs(n, xs);
      }
      case 'prim::TupleIndex': {
        const [t, i] = ins() as [unknown[], number];
        return this.bind(n.output(), t[i < 0 ? i + t.length : i]);
      }
      case 'prim::unchecked_cast': return this.bind(n.output(), this.get(n.input(0)));
      case 'aten::_unwrap_optional': case 'prim::unchecked_unwrap_optional': {
        const x = this.get(n.input(0));
        if (x === null) throw new ScriptRuntimeError('Unwrapping null optional', 'builtins.AssertionError', where(n));
        return this.bind(n.output(), x);
      }
      case 'prim::tolist': return this.bind(n.output(), (this.get(n.input(0)) as Tensor).toArray());
      case 'prim::Uninitialized': return this.bind(n.output(), null);
      case 'prim::RaiseException': {
        const [msg, cls] = ins() as [string, string | null];
        throw new ScriptRuntimeError(msg, cls ?? 'builtins.Exception', where(n));
      }
      case 'prim::Print': {
        console.log(ins().map((x, i) => pyStr(x, n.inputs[i].type)).join(' '));
        return;
      }
      case 'prim::isinstance': {
        const x = this.get(n.input(0));
        return this.bind(n.output(), n.getAttr('types', 'tys').some((t) => isInstance(x, t)));
      }
      case 'prim::CreateObject': {
        const t = n.output().type;
        const cls = t.kind === 'Class' ? ((t.cls as ClassInfo | undefined) ?? this.unit.getClass(t.name)) : null;
        if (!cls) throw new ScriptRuntimeError(`cannot create an object of type ${t.kind}`, null, where(n));
        return this.bind(n.output(), createObject(cls));
      }
    }
    this.op(n, ins());
  }

  private constant(v: Value): unknown {
    const c = constantValue(v);
    if (typeof c === 'bigint') return Number(c);
    if (c !== null && typeof c === 'object' && !Array.isArray(c)) {
      const t = tensorOfConst(c);
      if (!t) throw new ScriptRuntimeError('tensor constant has no data', null, where(v.node()));
      return t;
    }
    if (Array.isArray(c)) return c.map((x) => (typeof x === 'bigint' ? Number(x) : x));
    return c === undefined ? null : c;
  }

  private loop(n: Node): void {
    const maxTrip = Number(this.get(n.input(0)));
    let cond = this.get(n.input(1)) as boolean;
    let vals = n.inputs.slice(2).map((v) => this.get(v));
    let held: unknown[] = [];
    const body = n.blocks[0];
    for (let i = 0; cond && i < maxTrip; i++) {
      const outs = this.block(body, [i, ...vals], held);
      cond = outs[0] as boolean;
      vals = outs.slice(1);
      held = outs;
    }
    this.bindOutputs(n, vals);
    held.forEach((x) => this.release(x));
  }

  private call(n: Node, args: unknown[]): void {
    const name = n.getAttr('name', 's');
    let fn: ScriptFunction | null | undefined;
    if (n.kind === 'prim::CallMethod') {
      const obj = args[0];
      fn = obj instanceof ScriptObject ? obj.cls.method(name) : null;
      if (!fn) throw new ScriptRuntimeError(`object has no method '${name}'`, 'builtins.AttributeError', where(n));
    } else {
      fn = this.unit.getFunction(name);
      if (!fn) throw new UnknownOpError(name, `function not found, at ${where(n)}`);
    }
    const { value, survivors } = callFunction(this.run, fn, args);
    this.adopt(survivors);
    survivors.forEach((t) => this.run.created.add(t));
    this.bind(n.output(), value);
  }

  /** Runs an op-table node, or a node that `run` computes (a FusionGroup), owning what it creates. */
  private op(n: Node, args: unknown[], run?: (args: unknown[]) => unknown): void {
    const row = run ? null : rowOf(n);
    if (row) for (const i of dtypeArgs(row)) if (typeof args[i] === 'number') args[i] = SCALAR_TYPE[args[i] as number] ?? args[i];
    if (row) args = applyStaticTypes(n, row, args);
    const inputs = new Set<Tensor>();
    for (const a of args) containedTensors(a, (t) => inputs.add(t));
    if (row?.parsed.mutates) for (const a of args.slice(1)) this.escape(a);
    let result: unknown;
    try {
      // runRow: the call joins autograd when an input requires grad (training a loaded model).
      result = run ? run(args) : runRow(row!, args);
    } catch (err) {
      if (err instanceof Error && !err.message.includes(' (at ')) err.message += ` (at ${where(n)})`;
      throw err;
    }
    const outs = n.outputs.length === 1 ? [result] : n.outputs.length === 0 ? [] : (result as unknown[]);
    for (const x of outs) {
      containedTensors(x, (t, nested) => {
        if (inputs.has(t) || this.run.created.has(t)) return;
        this.run.created.add(t);
        this.owned.add(t);
        if (nested) this.run.escaped.add(t);
      });
    }
    this.bindOutputs(n, outs);
  }
}

function isInstance(x: unknown, t: JitType): boolean {
  switch (t.kind) {
    case 'Tensor': return x instanceof Tensor;
    case 'NoneType': return x === null;
    case 'int': case 'float': return typeof x === 'number';
    case 'bool': return typeof x === 'boolean';
    case 'str': return typeof x === 'string';
    case 'List': case 'Tuple': return Array.isArray(x) && (t.kind === 'Tuple' || t.elem.kind === 'Any' || x.every((y) => isInstance(y, t.elem)));
    case 'Dict': return x instanceof Map;
    case 'Optional': return x === null || isInstance(x, t.elem);
    case 'Class': return (x instanceof ScriptObject && x.cls.qualname === t.name) || (Array.isArray(x) && (t.cls as ClassInfo | undefined)?.base === 'NamedTuple');
    case 'Any': return true;
    default: return false;
  }
}
