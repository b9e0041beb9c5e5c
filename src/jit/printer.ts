// Prints a Graph exactly as PyTorch's `Graph::print` does (torch/csrc/jit/ir/ir.cpp), so our
// graphs can be compared with `str(scripted.graph)` character for character.

import { SUBGRAPH_ATTR, type AttrValue, type ConstTensor, type Graph, type Node, type Value } from './ir.js';
import { isFloatingDType, typeToString } from './types.js';

export interface PrintOptions {
  /** Append `# file:line:col` after nodes that have a source range (default true). */
  sourceLocations?: boolean;
}

export function printGraph(g: Graph, opts: PrintOptions = {}): string {
  const p = new Printer(opts.sourceLocations ?? true);
  return p.graph(g);
}

/** One node's line (no blocks, no trailing newline), for error messages. */
export function printNode(n: Node): string {
  return new Printer(true).nodeLine(n, 0, null);
}

class Printer {
  constructor(private locations: boolean) {}

  graph(g: Graph): string {
    const groups: Node[] = [];
    let out = `graph(${typedList(g.inputs, ',\n      ')}):\n`;
    for (const n of g.nodes()) out += this.node(n, 1, groups);
    out += `  return (${valueRefs(g.outputs)})\n`;
    groups.forEach((fg, i) => {
      out += `with ${fg.kind}_${i} = ${this.graph(fg.getAttr(SUBGRAPH_ATTR, 'g'))}`;
    });
    return out;
  }

  node(n: Node, level: number, groups: Node[]): string {
    let out = `${this.nodeLine(n, level, groups)}\n`;
    n.blocks.forEach((b, i) => {
      out += `${indent(level + 1)}block${i}(${typedList(b.inputs, ', ')}):\n`;
      for (const m of b.nodes()) out += this.node(m, level + 2, groups);
      out += `${indent(level + 2)}-> (${valueRefs(b.outputs)})\n`;
    });
    return out;
  }

  // Fusion groups print as `kind_N` and register themselves so their subgraphs follow the graph.
  nodeLine(n: Node, level: number, groups: Node[] | null): string {
    let out = `${indent(level)}${typedList(n.outputs, ', ')} = `;
    if (n.attr(SUBGRAPH_ATTR)?.kind === 'g' && groups) {
      out += `${n.kind}_${groups.length}`;
      if (n.numAttrs() > 1 && n.kind !== 'prim::DifferentiableGraph') out += attributes(n, true);
      groups.push(n);
    } else {
      out += n.kind;
      if (n.numAttrs() > 0) out += attributes(n, false);
    }
    out += `(${valueRefs(n.inputs)})`;
    if (n.scopeName) out += `, scope: ${n.scopeName}`;
    const r = n.sourceRange;
    if (this.locations && r) out += ` # ${r.file}:${r.line}:${r.col}`;
    return out;
  }
}

function indent(level: number): string {
  return '  '.repeat(level);
}

function valueRefs(vs: readonly Value[]): string {
  return vs.map((v) => `%${v.debugName()}`).join(', ');
}

function typedList(vs: readonly Value[], sep: string): string {
  return vs.map((v) => `%${v.debugName()} : ${typeToString(v.type)}`).join(sep);
}

function attributes(n: Node, skipSubgraph: boolean): string {
  const parts: string[] = [];
  for (const name of n.attrNames()) {
    if (skipSubgraph && name === SUBGRAPH_ATTR) continue;
    parts.push(`${name}=${attrValueToString(n.attr(name)!)}`);
  }
  return `[${parts.join(', ')}]`;
}

export function attrValueToString(a: AttrValue): string {
  switch (a.kind) {
    case 'i': return String(a.value);
    case 'f': return formatDouble(a.value);
    case 's': return quoteString(a.value);
    case 'is': return `[${a.value.join(', ')}]`;
    case 'fs': return `[${a.value.map(formatDouble).join(', ')}]`;
    case 'ss': return `[${a.value.map(quoteString).join(', ')}]`;
    case 't': return tensorToString(a.value);
    case 'ty': return typeToString(a.value);
    case 'tys': return `[${a.value.map((t) => typeToString(t)).join(', ')}]`;
    case 'g': return '<Graph>';
  }
}

// One-element tensors print as boxed scalars, `{1}` or `{0.5}`, with C++'s default stream format;
// larger ones as `<Tensor>` (PyTorch prints up to 10 elements with at::print; we do not).
function tensorToString(t: ConstTensor): string {
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (numel !== 1 || !t.data) return '<Tensor>';
  const x = t.data[0];
  if (isFloatingDType(t.dtype)) return `{${formatG(Number(x), 6)}}`;
  return `{${typeof x === 'boolean' ? Number(x) : String(x)}}`;
}

/**
 * A double as c10's IValue repr prints it: whole numbers below 1e10 as `1.`, everything else
 * with 17 significant digits (`0.5`, `1.0000000000000001e-05`, `inf`, `nan`).
 */
export function formatDouble(d: number): string {
  if (Number.isInteger(d) && Math.abs(d) < 1e10) return `${Object.is(d, -0) ? '-0' : d}.`;
  return formatG(d, 17);
}

/** printf's `%.{precision}g`. */
export function formatG(d: number, precision: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mant, expText] = d.toExponential(precision - 1).split('e');
  const exp = Number(expText);
  const sign = d < 0 ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  if (exp < -4 || exp >= precision) {
    const m = trimZeros(`${digits[0]}.${digits.slice(1)}`);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const text = exp >= 0
    ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
    : `0.${'0'.repeat(-exp - 1)}${digits}`;
  return sign + trimZeros(text);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\', "'": "\\'", '"': '\\"', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n',
  '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

/** A double-quoted string as c10::printQuotedString writes it; other bytes as `\ooo` (UTF-8). */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const e = ESCAPES[ch];
    if (e) out += e;
    else if (ch >= ' ' && ch <= '~') out += ch;
    else for (const b of new TextEncoder().encode(ch)) out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}
