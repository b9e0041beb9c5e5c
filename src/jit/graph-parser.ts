// Parses PyTorch's printed graph format back into a Graph (the inverse of printer.ts, after
// torch/csrc/jit/ir/irparser.cpp): `print(parseGraph(s)) === s` for printed text. Unlike
// irparser, numbered values keep their numbers, and fusion-group bodies printed after the graph
// (`with prim::FusionGroup_0 = graph(...)`) become the nodes' Subgraph attributes again.

import {
  Graph, SUBGRAPH_ATTR, isValidName, type AttrValue, type Block, type ConstTensor, type Node,
  type Value,
} from './ir.js';
import { parseTypeAt, TensorT, TypeParseError, type JitType } from './types.js';

export class GraphParseError extends Error {
  constructor(message: string, readonly line: number, readonly col: number) {
    super(`${line}:${col}: ${message}`);
    this.name = 'GraphParseError';
  }
}

export function parseGraph(text: string): Graph {
  const p = new GraphParser(text);
  const g = p.graph(false);
  p.skipSpace();
  if (!p.atEnd()) p.fail('unexpected text after the graph');
  return g;
}

type Literal = { kind: 'i' | 'f' | 's' | 'ty' | 't'; value: unknown };

class GraphParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  atEnd(): boolean { return this.pos >= this.src.length; }

  fail(message: string, at = this.pos): never {
    const before = this.src.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    throw new GraphParseError(message, line, col);
  }

  /** Skips blanks on this line only. */
  private blanks(): void {
    while (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') this.pos++;
  }
  /** Skips blanks and line breaks. */
  skipSpace(): void {
    while (/[ \t\r\n]/.test(this.src[this.pos] ?? '')) this.pos++;
  }
  private peek(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }
  private eat(s: string): boolean {
    this.skipSpace();
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }
  private expect(s: string): void {
    if (!this.eat(s)) this.fail(`expected '${s}'`);
  }
  private match(re: RegExp, what: string): string {
    const m = re.exec(this.src.slice(this.pos));
    if (!m) this.fail(`expected ${what}`);
    this.pos += m![0].length;
    return m![0];
  }
  private list(open: string, close: string, item: () => void): void {
    this.expect(open);
    if (this.eat(close)) return;
    do item(); while (this.eat(','));
    this.expect(close);
  }
  private restOfLine(): string {
    const end = this.src.indexOf('\n', this.pos);
    const stop = end < 0 ? this.src.length : end;
    const s = this.src.slice(this.pos, stop);
    this.pos = stop;
    return s;
  }

  // ---- graphs, blocks, statements

  private values = new Map<string, Value>();
  private groupCandidates: Node[] = [];

  /** `graph(...): stmts return (...)` and then the bodies of its fusion groups. */
  graph(nested: boolean): Graph {
    const g = new Graph();
    const outer = { values: this.values, groups: this.groupCandidates };
    this.values = new Map();
    this.groupCandidates = [];
    this.skipSpace();
    this.match(/^graph/, "'graph'");
    this.list('(', ')', () => this.define(g.addInput(), true));
    this.expect(':');
    this.statements(g.block, 'return');
    this.list('(', ')', () => g.registerOutput(this.use()));
    this.fusionGroupBodies(nested);
    this.renumberNamed(g);
    this.values = outer.values;
    this.groupCandidates = outer.groups;
    return g;
  }

  // Note [Fusion group bodies]: each graph is followed by exactly the `with K_i = graph(...)`
  // sections of its own group nodes, depth first, so a nested body takes only the sections whose
  // names it is still waiting for.
  private fusionGroupBodies(nested: boolean): void {
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (!this.peek('with ')) { this.pos = save; return; }
      this.pos += 5;
      const nameAt = this.pos;
      const name = this.match(/^[A-Za-z_][\w]*::[\w.]+/, 'a group name');
      const node = this.groupCandidates.find((n) => n.kind === name && !n.hasAttr(SUBGRAPH_ATTR));
      if (!node) {
        if (nested) { this.pos = save; return; }
        this.fail(`no node prints as ${name}`, nameAt);
      }
      this.expect('=');
      const body = this.graph(true);
      node!.kind = name.replace(/_\d+$/, '');
      node!.setAttr(SUBGRAPH_ATTR, { kind: 'g', value: body });
    }
  }

  // Named values were numbered as they came; move them past the printed numbers so that a value
  // created later never prints with a number already shown.
  private renumberNamed(g: Graph): void {
    let next = 0;
    for (const v of this.values.values()) if (!v.hasDebugName()) next = Math.max(next, v.unique + 1);
    for (const v of this.values.values()) if (v.hasDebugName()) v.unique = next++;
    g.nextUnique = next;
  }

  private statements(b: Block, end: 'return' | '->'): void {
    for (;;) {
      this.skipSpace();
      if (this.peek(end)) { this.pos += end.length; return; }
      if (this.atEnd()) this.fail(`expected '${end}'`);
      this.statement(b);
    }
  }

  /** `%a : T, %b : U = ns::kind[attrs](%x, %y), scope: s # file:line:col` and nested blocks. */
  private statement(b: Block): void {
    const g = b.graph;
    const outs: { name: string; type: JitType; at: number }[] = [];
    this.skipSpace();
    if (this.peek('%')) {
      do {
        this.skipSpace();
        const at = this.pos;
        const name = this.varName();
        outs.push({ name, type: this.optionalType(), at });
      } while (this.eat(','));
    }
    this.expect('=');
    this.blanks();
    const kind = this.match(/^[A-Za-z_]\w*::[\w.]+/, 'an operator name like aten::mul');
    const n = g.createNode(kind, [], 0);
    if (/_\d+$/.test(kind)) this.groupCandidates.push(n);
    this.blanks();
    if (this.peek('[')) this.list('[', ']', () => this.attribute(n));
    this.list('(', ')', () => n.addInput(this.use()));
    for (const o of outs) this.define(n.addOutput(o.type), false, o.name, o.at);
    refineConstant(n);
    this.blanks();
    if (this.peek(', scope: ')) {
      this.pos += ', scope: '.length;
      const line = this.restOfLine();
      const hash = line.indexOf(' # ');
      if (hash >= 0) this.pos -= line.length - hash - 1; // back to the '#'
      n.scopeName = hash < 0 ? line.trimEnd() : line.slice(0, hash);
      this.blanks();
    }
    if (this.peek('#')) {
      this.pos++;
      const at = this.pos;
      const m = /^\s*(.*):(\d+):(\d+)\s*$/.exec(this.restOfLine());
      if (!m) this.fail('expected a source location file:line:col', at);
      n.sourceRange = { file: m![1], line: Number(m![2]), col: Number(m![3]) };
    }
    b.appendNode(n);
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      if (!/^block\d+\(/.test(this.src.slice(this.pos, this.pos + 16))) { this.pos = save; return; }
      this.block(n.addBlock());
    }
  }

  private block(b: Block): void {
    this.match(/^block\d+/, 'a block name');
    this.list('(', ')', () => this.define(b.addInput(), true));
    this.expect(':');
    this.statements(b, '->');
    this.list('(', ')', () => b.registerOutput(this.use()));
  }

  // ---- values and types

  private varName(): string {
    this.expect('%');
    return this.match(/^[\w.]+/, 'a value name');
  }

  private optionalType(): JitType {
    this.skipSpace();
    if (!this.peek(':')) return TensorT;
    this.pos++;
    return this.type();
  }

  private type(): JitType {
    try {
      const { type, end } = parseTypeAt(this.src, this.pos);
      this.pos = end;
      return type;
    } catch (e) {
      if (e instanceof TypeParseError) this.fail(e.message, e.offset);
      throw e;
    }
  }

  /** Names the value `name` (read here when `readName`); numbers become its `unique`. */
  private define(v: Value, readName: boolean, name = '', at = this.pos): void {
    if (readName) {
      this.skipSpace();
      at = this.pos;
      name = this.varName();
      v.setType(this.optionalType());
    }
    if (this.values.has(name)) this.fail(`value %${name} is defined twice`, at);
    if (isValidName(name)) v.setDebugName(name);
    else v.unique = Number(name);
    this.values.set(name, v);
  }

  private use(): Value {
    this.skipSpace();
    const at = this.pos;
    const name = this.varName();
    const v = this.values.get(name);
    if (!v) this.fail(`value %${name} is used before it is defined`, at);
    return v!;
  }

  // ---- attributes

  private attribute(n: Node): void {
    this.skipSpace();
    const name = this.match(/^\w+/, 'an attribute name');
    this.expect('=');
    this.skipSpace();
    let a: AttrValue;
    if (this.peek('[')) {
      const items: Literal[] = [];
      this.list('[', ']', () => items.push(this.literal()));
      a = listAttr(items) ?? this.fail(`attribute '${name}' mixes element kinds`);
    } else {
      const lit = this.literal();
      a = { kind: lit.kind, value: lit.value } as AttrValue;
    }
    n.setAttr(name, a);
  }

  private literal(): Literal {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === '"' || c === "'") return { kind: 's', value: this.stringLiteral() };
    if (this.peek('<Tensor>')) {
      this.pos += 8;
      return { kind: 't', value: { dtype: 'float32', shape: [0] } satisfies ConstTensor };
    }
    if (c === '{') {
      this.pos++;
      const text = this.match(/^[^}]*/, 'a scalar');
      this.expect('}');
      const isFloat = /[.en]/.test(text);
      const value: ConstTensor = isFloat
        ? { dtype: 'float32', shape: [], data: [parseFloatText(text)] }
        : { dtype: 'int64', shape: [], data: [Number(text)] };
      return { kind: 't', value };
    }
    const num = /^-?(\d+\.?\d*(e[-+]?\d+)?|inf|nan)(?![\w.])/.exec(this.src.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      if (/[.e]|inf|nan/.test(num[0])) return { kind: 'f', value: parseFloatText(num[0]) };
      const big = BigInt(num[0]);
      const safe = big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
      return { kind: 'i', value: safe ? Number(big) : big };
    }
    return { kind: 'ty', value: this.type() };
  }

  private stringLiteral(): string {
    const quote = this.src[this.pos++];
    const bytes: number[] = [];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11 };
    for (;;) {
      if (this.atEnd() || this.src[this.pos] === '\n') this.fail('unterminated string');
      const ch = this.src[this.pos++];
      if (ch === quote) break;
      if (ch !== '\\') {
        bytes.push(...new TextEncoder().encode(ch));
        continue;
      }
      const e = this.src[this.pos++];
      if (/[0-7]/.test(e)) {
        const oct = e + this.match(/^[0-7]{0,2}/, 'octal digits');
        bytes.push(parseInt(oct, 8));
      } else if (e in simple) bytes.push(simple[e]);
      else bytes.push(...new TextEncoder().encode(e));
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  }
}

// The text does not say everything about a constant; its output type does: `{1}` and
// `<Tensor>` lack dtype and shape, and a whole double of 1e10 or more prints without a dot.
function refineConstant(n: Node): void {
  const a = n.attr('value');
  const t = n.outputs[0]?.type;
  if (n.kind !== 'prim::Constant' || !a || !t) return;
  if (a.kind === 'i' && t.kind === 'float') n.setAttr('value', { kind: 'f', value: Number(a.value) });
  if (a.kind === 'is' && t.kind === 'List' && t.elem.kind === 'float') n.setAttr('value', { kind: 'fs', value: a.value.map(Number) });
  if (a.kind !== 't' || t.kind !== 'Tensor') return;
  const value: ConstTensor = { ...a.value };
  if (t.dtype) value.dtype = t.dtype;
  if (t.sizes?.every((d) => d !== null)) value.shape = t.sizes as number[];
  n.setAttr('value', { kind: 't', value });
}

function parseFloatText(s: string): number {
  if (/^-?inf$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^-?nan$/.test(s)) return NaN;
  return Number(s);
}

function listAttr(items: Literal[]): AttrValue | null {
  const kinds = new Set(items.map((x) => x.kind));
  const values = items.map((x) => x.value);
  if (kinds.size === 0) return { kind: 'is', value: [] };
  if (kinds.size === 1 && kinds.has('s')) return { kind: 'ss', value: values as string[] };
  if (kinds.size === 1 && kinds.has('ty')) return { kind: 'tys', value: values as JitType[] };
  if ([...kinds].every((k) => k === 'i' || k === 'f')) {
    return kinds.has('f')
      ? { kind: 'fs', value: values.map(Number) }
      : { kind: 'is', value: values as (number | bigint)[] };
  }
  return null;
}
