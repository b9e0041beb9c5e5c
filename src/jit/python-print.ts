// TorchScript source from a graph, after PyTorch's python_print.cpp (the `.code` of a function and
// what an archive's code/ holds): constants are inlined as literals, an unnamed single-use value
// is inlined into its user when nothing else is printed in between, `aten::x` prints as
// `torch.x(...)` with trailing default arguments dropped and keyword-only ones as `name=`, other
// namespaces as `ops.ns.x(...)`, and prim::If / prim::Loop as Python `if`, `for ... in range`
// and `while` (a counted loop that can exit early becomes a `while` first, see
// passes/canonicalize-modified-loops.ts), with loop-carried values assigned before the loop and at
// the end of its body.
import { constantValue, type Block, type ConstTensor, type Graph, type Node, type Value } from './ir.js';
import { formatDouble } from './printer.js';
import { typeToPython, type JitType } from './types.js';
import { rowOf } from './passes/op-rows.js';
import { canonicalizeModifiedLoops, loopType } from './passes/canonicalize-modified-loops.js';

const CASTS: Record<string, string> = { 'aten::Int': 'int', 'aten::Float': 'float', 'aten::Bool': 'bool', 'aten::str': 'str' };

/** The TorchScript text of `g` as function `name` (`isMethod`: its first input is `self`). */
export function pythonPrint(g: Graph, name: string, isMethod = false): string {
  return new PythonPrinter(canonicalizeModifiedLoops(g)).function(name, isMethod);
}

/** Tensor constants met while printing, referred to as CONSTANTS.cN. */
interface PrintedConstants { tensors: ConstTensor[] }

class PythonPrinter {
  private names = new Map<Value, string>();
  private used = new Set<string>(['self', 'torch', 'ops', 'CONSTANTS']);
  private temp = 0;
  private inlined = new Set<Node>();
  readonly constants: PrintedConstants = { tensors: [] };

  constructor(private g: Graph) {}

  function(name: string, isMethod: boolean): string {
    const params = this.g.inputs.map((v, i) => `${this.name(v, i === 0 && isMethod ? 'self' : undefined)}: ${typeToPython(v.type)}`);
    const ret = this.g.outputs.length === 1 ? typeToPython(this.g.outputs[0].type) : `Tuple[${this.g.outputs.map((v) => typeToPython(v.type)).join(', ')}]`;
    const lines: string[] = [];
    this.block(this.g.block, 1, lines);
    const outs = this.g.outputs.map((v) => this.expr(v));
    lines.push(`  return ${outs.length === 1 ? outs[0] : `(${outs.join(', ')})`}`);
    return `def ${name}(${params.join(',\n    ')}) -> ${ret}:\n${lines.join('\n')}\n`;
  }

  /** A fresh Python name from a debug name (`x.3` -> `x0`, `x1`...) or `_N`. */
  private name(v: Value, forced?: string): string {
    const known = this.names.get(v);
    if (known) return known;
    let n = forced ?? '';
    if (!n) {
      const base = v.hasDebugName() ? v.debugName().replace(/\.\d+$/, '').replace(/[^A-Za-z0-9_]/g, '_') : '';
      if (base && !this.used.has(base)) n = base;
      else if (base) {
        let k = 0;
        while (this.used.has(`${base}${k}`)) k++;
        n = `${base}${k}`;
      } else return this.remember(v, this.freshName());
    }
    return this.remember(v, n);
  }

  private remember(v: Value, n: string): string {
    this.used.add(n);
    this.names.set(v, n);
    return n;
  }

  /** Marks which nodes print inside their user's expression (see the file comment). */
  private planInlining(b: Block): void {
    const statements = b.nodes().filter((n) => n.kind !== 'prim::Constant');
    const start = new Map<Node, number>();
    statements.forEach((u, i) => {
      let cursor = i - 1;
      for (let k = u.inputs.length - 1; k >= 0; k--) {
        const p = u.inputs[k].node();
        if (p.kind === 'prim::Constant') continue;
        if (cursor < 0 || statements[cursor] !== p || !this.inlinable(p, u)) break;
        this.inlined.add(p);
        cursor = start.get(p)! - 1;
      }
      start.set(u, cursor + 1);
    });
  }

  private inlinable(p: Node, user: Node): boolean {
    const v = p.outputs[0];
    return p.outputs.length === 1 && v.uses.length === 1 && !v.hasDebugName() && p.blocks.length === 0
      && v.uses[0].user === user && user.kind !== 'prim::Loop' && user.owningBlock === p.owningBlock && !p.kind.startsWith('prim::Param');
  }

  private block(b: Block, depth: number, lines: string[]): void {
    this.planInlining(b);
    const pad = '  '.repeat(depth);
    for (const n of b.nodes()) {
      if (n.kind === 'prim::Constant' || this.inlined.has(n)) continue;
      if (n.kind === 'prim::If') this.ifNode(n, depth, lines);
      else if (n.kind === 'prim::Loop') this.loopNode(n, depth, lines);
      else if (n.kind === 'prim::TupleUnpack' || n.kind === 'prim::ListUnpack') {
        lines.push(`${pad}${n.outputs.map((o) => `${this.name(o)}, `).join('')}= ${this.expr(n.input())}`);
      } else if (n.outputs.length === 0) lines.push(`${pad}${this.call(n)}`);
      else if (n.outputs.length === 1) lines.push(`${pad}${this.name(n.output())} = ${this.call(n)}`);
      else lines.push(`${pad}${n.outputs.map((o) => this.name(o)).join(', ')} = ${this.call(n)}`);
    }
  }

  /** `a, b = x, y` for the values a block hands to `targets` (skipping those already equal). */
  private assign(targets: string[], values: Value[], pad: string, lines: string[]): void {
    const pairs = targets.map((t, i) => [t, this.expr(values[i])]).filter(([t, e]) => t !== e);
    if (pairs.length) lines.push(`${pad}${pairs.map((p) => p[0]).join(', ')} = ${pairs.map((p) => p[1]).join(', ')}`);
  }

  private ifNode(n: Node, depth: number, lines: string[]): void {
    const pad = '  '.repeat(depth);
    const outs = n.outputs.map((o) => this.name(o));
    lines.push(`${pad}if ${this.expr(n.input())}:`);
    n.blocks.forEach((b, i) => {
      b.outputs.forEach((v, k) => { if (this.ownsOnlyUse(v, b)) this.names.set(v, outs[k]); });
      if (i === 1) lines.push(`${pad}else:`);
      const before = lines.length;
      this.block(b, depth + 1, lines);
      this.assign(outs, [...b.outputs], `${pad}  `, lines);
      if (lines.length === before) lines.push(`${pad}  pass`);
    });
  }

  // After canonicalizeModifiedLoops a loop is a `for` (condition always true) or a `while` whose
  // condition lives in the variable named after the unused counter, as PyTorch's printLoop does.
  private loopNode(n: Node, depth: number, lines: string[]): void {
    const pad = '  '.repeat(depth);
    const [trip, cond, ...inits] = n.inputs;
    const body = n.blocks[0];
    const outs = n.outputs.map((o) => this.name(o));
    body.inputs.slice(1).forEach((p, i) => {
      this.names.set(p, outs[i]);
      // The body's new value can take the carried name when the old one is not read after it.
      const v = body.outputs[i + 1];
      if (this.ownsOnlyUse(v, body) && p.uses.every((u) => !v.node().isBefore(topIn(u.user, body)))) this.names.set(v, outs[i]);
    });
    this.assign(outs, inits, pad, lines);
    const counter = this.name(body.inputs[0]);
    if (loopType(n) === 'For') {
      lines.push(`${pad}for ${counter} in range(${this.expr(trip)}):`);
      this.block(body, depth + 1, lines);
      this.assign(outs, body.outputs.slice(1), `${pad}  `, lines);
    } else {
      lines.push(`${pad}${counter} = ${this.expr(cond)}`);
      lines.push(`${pad}while ${counter}:`);
      this.block(body, depth + 1, lines);
      this.assign([counter, ...outs], [...body.outputs], `${pad}  `, lines);
    }
  }

  /** Whether `v` is made in `b` and used only as its output (so it can be named after the target). */
  private ownsOnlyUse(v: Value, b: Block): boolean {
    return v.node().owningBlock === b && v.node().kind !== 'prim::Constant' && v.uses.length === 1 && !this.names.has(v);
  }

  /** A `_N` name not used yet. */
  private freshName(): string {
    while (this.used.has(`_${this.temp}`)) this.temp++;
    const n = `_${this.temp++}`;
    this.used.add(n);
    return n;
  }

  /** A value as an expression: a literal, an inlined call, or its name. */
  expr(v: Value): string {
    const n = v.node();
    if (n.kind === 'prim::Constant') return this.literal(v);
    if (this.inlined.has(n)) return this.call(n);
    return this.name(v);
  }

  private literal(v: Value): string {
    const c = constantValue(v);
    return this.literalOf(c, v.type);
  }

  private literalOf(c: unknown, t: JitType): string {
    if (c === null || c === undefined) return 'None';
    if (typeof c === 'boolean') return c ? 'True' : 'False';
    if (typeof c === 'bigint') return String(c);
    if (typeof c === 'number') return t.kind === 'float' ? formatDouble(c) : String(c);
    if (typeof c === 'string') return JSON.stringify(c);
    if (Array.isArray(c)) {
      const elem = t.kind === 'List' ? t.elem : t;
      return `[${c.map((x) => this.literalOf(x, elem)).join(', ')}]`;
    }
    const k = this.constants.tensors.indexOf(c as ConstTensor);
    return `CONSTANTS.c${k >= 0 ? k : this.constants.tensors.push(c as ConstTensor) - 1}`;
  }

  private call(n: Node): string {
    const args = (vs: readonly Value[]) => vs.map((v) => this.expr(v)).join(', ');
    switch (n.kind) {
      case 'prim::ListConstruct':
        return n.inputs.length ? `[${args(n.inputs)}]` : `annotate(${typeToPython(n.output().type)}, [])`;
      case 'prim::TupleConstruct': return n.inputs.length === 1 ? `(${args(n.inputs)},)` : `(${args(n.inputs)})`;
      case 'prim::DictConstruct': {
        const kv: string[] = [];
        for (let i = 0; i < n.inputs.length; i += 2) kv.push(`${this.expr(n.inputs[i])}: ${this.expr(n.inputs[i + 1])}`);
        return kv.length ? `{${kv.join(', ')}}` : `annotate(${typeToPython(n.output().type)}, {})`;
      }
      case 'prim::GetAttr': {
        const attr = n.getAttr('name', 's');
        return /^[A-Za-z_]\w*$/.test(attr) ? `${this.expr(n.input())}.${attr}` : `getattr(${this.expr(n.input())}, "${attr}")`;
      }
      case 'prim::CallMethod': return `(${this.expr(n.input())}).${n.getAttr('name', 's')}(${n.inputs.slice(1).map((v) => `${this.expr(v)}, `).join('')})`;
      case 'prim::Uninitialized': return `uninitialized(${typeToPython(n.output().type)})`;
      case 'prim::TupleIndex': case 'aten::__getitem__': return `${this.expr(n.inputs[0])}[${this.expr(n.inputs[1])}]`;
    }
    if (CASTS[n.kind]) return `${CASTS[n.kind]}(${args(n.inputs)})`;
    const [ns, op] = n.kind.split('::');
    const fn = ns === 'aten' ? `torch.${op}` : `ops.${ns}.${op}`;
    return `${fn}(${this.arguments(n)})`;
  }

  /** Arguments in schema order: trailing defaults dropped, keyword-only ones as `name=`. */
  private arguments(n: Node): string {
    const row = rowOf(n);
    const params = row?.parsed.args;
    if (!params || params.length !== n.inputs.length) return n.inputs.map((v) => this.expr(v)).join(', ');
    let end = n.inputs.length;
    while (end > 0 && params[end - 1].hasDefault && isDefault(n.inputs[end - 1], params[end - 1].default)) end--;
    return n.inputs.slice(0, end).map((v, i) => (params[i].kwargOnly ? `${params[i].name}=${this.expr(v)}` : this.expr(v))).join(', ');
  }
}

function isDefault(v: Value, d: unknown): boolean {
  const c = constantValue(v);
  if (c === undefined) return false;
  const norm = (x: unknown) => (typeof x === 'bigint' ? Number(x) : x);
  if (Array.isArray(c) && Array.isArray(d)) return c.length === d.length && c.every((x, i) => norm(x) === norm(d[i]));
  return norm(c) === norm(d) || (c === null && d === undefined);
}

/** The node of block `b` that holds `n` (itself, or the If/Loop it is nested in). */
function topIn(n: Node, b: Block): Node {
  let u: Node = n;
  while (u.owningBlock !== b && u.owningNode()) u = u.owningNode()!;
  return u;
}
