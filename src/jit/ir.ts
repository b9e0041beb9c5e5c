// The JIT IR, after PyTorch's torch/csrc/jit/ir/ir.h: a Graph owns a top Block; a Block is a
// list of Nodes between a prim::Param node (whose outputs are the block's inputs) and a
// prim::Return node (whose inputs are the block's outputs); Values are SSA, each produced by one
// Node and knowing its uses. Node kinds are plain strings (`aten::mul`, `prim::Loop`), so the IR
// knows nothing of the op table.

import {
  BoolT, FloatT, IntT, NoneT, StrT, TensorT, listType, type DType, type JitType,
} from './types.js';

export interface SourceRange { file: string; line: number; col: number }

/** `user.inputs[offset]` is the used value. */
export interface Use { user: Node; offset: number }

/** A tensor held in a constant; the IR only needs its description (data is optional). */
export interface ConstTensor {
  dtype: DType;
  shape: readonly number[];
  data?: ArrayLike<number> | ArrayLike<bigint> | ArrayLike<boolean>;
}

/** Attribute values by c10 AttributeKind: i, f, s, is, fs, ss, t, ty, tys, g. */
export type AttrValue =
  | { kind: 'i'; value: number | bigint }
  | { kind: 'f'; value: number }
  | { kind: 's'; value: string }
  | { kind: 'is'; value: (number | bigint)[] }
  | { kind: 'fs'; value: number[] }
  | { kind: 'ss'; value: string[] }
  | { kind: 't'; value: ConstTensor }
  | { kind: 'ty'; value: JitType }
  | { kind: 'tys'; value: JitType[] }
  | { kind: 'g'; value: Graph };
export type AttrKind = AttrValue['kind'];
type AttrOf<K extends AttrKind> = Extract<AttrValue, { kind: K }>['value'];

/** What `insertConstant` accepts and `constantValue` returns. */
export type ConstantValue =
  | number | bigint | boolean | string | null
  | (number | bigint)[] | boolean[] | string[] | ConstTensor;

/** A broken IR invariant, found by a mutator. */
export class IRError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IRError';
  }
}

/** The trip count of a prim::Loop that has none (a `while` loop), as PyTorch writes it: INT64_MAX. */
export const MAX_TRIP_COUNT = 9223372036854775807n;

/** The attribute that holds a fusion group's body; such nodes print as `kind_N`. */
export const SUBGRAPH_ATTR = 'Subgraph';

/** Names that are all digits are reserved for unnamed values (their `unique` number). */
export function isValidName(name: string): boolean {
  return name !== '' && !/^\d+$/.test(name);
}

export class Value {
  readonly uses: Use[] = [];
  private name = '';

  /** `unique` numbers a value within its graph; it is its printed name when it has no debug name. */
  constructor(private producer: Node, public offset: number, public unique: number,
    public type: JitType = TensorT) {}

  /** The producing node (`prim::Param` for graph and block inputs). */
  node(): Node { return this.producer; }
  owningGraph(): Graph { return this.producer.graph; }
  hasUses(): boolean { return this.uses.length > 0; }
  hasDebugName(): boolean { return this.name !== ''; }
  debugName(): string { return this.name || String(this.unique); }

  setType(t: JitType): this {
    this.type = t;
    return this;
  }

  // Given: a valid name (or '' to clear it). Execute: takes the name; a value already holding it is
  // renamed `base.N` with the next free suffix (PyTorch's scheme: `x`, then `x.1`, `x.2`...).
  // Result: this value prints as `%name`; names stay unique within the graph.
  setDebugName(name: string): this {
    if (name !== '' && !isValidName(name)) throw new IRError(`invalid value name '${name}': names that are numbers are reserved`);
    const g = this.owningGraph();
    if (this.name) g.uniqueNames.delete(this.name);
    this.name = '';
    if (!name) return this;
    const holder = g.uniqueNames.get(name);
    if (holder) {
      let base = name;
      let suffix = 1;
      const m = /^(.*)\.(\d+)$/.exec(name);
      if (m) { base = m[1]; suffix = Number(m[2]); }
      const seen = g.nameBaseSuffix.get(base);
      if (seen !== undefined) suffix = Math.max(suffix, seen + 1);
      let replacement: string;
      do replacement = `${base}.${suffix++}`; while (g.uniqueNames.has(replacement));
      g.nameBaseSuffix.set(base, suffix);
      holder.setDebugName(replacement);
    }
    g.uniqueNames.set(name, this);
    this.name = name;
    return this;
  }

  /** Takes type and debug name from `from` (used when cloning). */
  copyMetadata(from: Value): this {
    this.setType(from.type);
    if (from.hasDebugName()) this.setDebugName(from.debugName());
    return this;
  }

  // Given: a value `v` visible at every use of this one. Execute: points every use at `v`.
  // Result: this value has no uses; `v.uses` gained them all.
  replaceAllUsesWith(v: Value): void {
    if (v === this) return;
    if (v.owningGraph() !== this.owningGraph()) throw new IRError(`cannot replace %${this.debugName()} by a value of another graph`);
    for (const u of this.uses) {
      (u.user.inputs as Value[])[u.offset] = v;
      v.uses.push(u);
    }
    this.uses.length = 0;
  }

  // Given: a node `after` and a value `v` defined before it. Execute: redirects only uses by nodes
  // that come after `after` (in nested blocks too). Result: earlier uses still see this value.
  replaceAllUsesAfterNodeWith(after: Node, v: Value): void {
    for (const u of [...this.uses]) {
      if (after.isBefore(u.user)) u.user.replaceInput(u.offset, v);
    }
  }
}

// Gap between appended nodes' positions; inserting between two nodes takes the midpoint and
// renumbers the block when doubles run out of room (PyTorch's topo_position_t scheme).
const POSITION_GAP = 1024;

export class Node {
  readonly inputs: readonly Value[] = [];
  readonly outputs: readonly Value[] = [];
  readonly blocks: readonly Block[] = [];
  /** The block whose node list holds this node (for Param/Return: the block they bound). */
  owningBlock: Block | null = null;
  sourceRange: SourceRange | null = null;
  scopeName = '';
  private attrs = new Map<string, AttrValue>();
  /** @internal linked-list links and position; the Return node is each block's sentinel. */
  prevNode: Node | null = null;
  nextNode: Node | null = null;
  position = 0;

  constructor(readonly graph: Graph, public kind: string) {}

  input(i = 0): Value { return this.inputs[i]; }
  output(): Value {
    if (this.outputs.length !== 1) throw new IRError(`${this.kind} has ${this.outputs.length} outputs, expected 1`);
    return this.outputs[0];
  }
  hasUses(): boolean { return this.outputs.some((o) => o.hasUses()); }
  owningNode(): Node | null { return this.owningBlock?.owningNode ?? null; }

  /** The next node in the block, or null at its end. */
  next(): Node | null {
    const n = this.nextNode;
    return n && n !== this.owningBlock?.returnNode ? n : null;
  }
  prev(): Node | null {
    const n = this.prevNode;
    return n && n !== this.owningBlock?.returnNode ? n : null;
  }
  /** Whether the node is in a block's node list (Param/Return nodes never are). */
  inBlockList(): boolean { return this.nextNode !== null; }

  // ---- attributes
  attrNames(): string[] { return [...this.attrs.keys()]; }
  hasAttr(name: string): boolean { return this.attrs.has(name); }
  attr(name: string): AttrValue | undefined { return this.attrs.get(name); }
  numAttrs(): number { return this.attrs.size; }
  /** The value of attribute `name`, which must exist with kind `kind`. */
  getAttr<K extends AttrKind>(name: string, kind: K): AttrOf<K> {
    const a = this.attrs.get(name);
    if (!a || a.kind !== kind) {
      throw new IRError(`${this.kind} has no ${kind} attribute '${name}'${a ? ` (it is ${a.kind})` : ''}`);
    }
    return a.value as AttrOf<K>;
  }
  // Given: a name and a value. Execute: sets it, keeping the first-set order for printing.
  // Result: `attr(name)` returns it.
  setAttr(name: string, value: AttrValue): this {
    this.attrs.set(name, value);
    return this;
  }
  // Given: a name. Execute: deletes that attribute if present. Result: `hasAttr(name)` is false.
  removeAttr(name: string): this {
    this.attrs.delete(name);
    return this;
  }
  // Given: another node. Execute: copies all its attributes (subgraphs deep-copied).
  // Result: this node's attributes equal `from`'s; no sharing of mutable lists or graphs.
  copyAttrs(from: Node): this {
    for (const [k, a] of from.attrs) this.attrs.set(k, cloneAttr(a));
    return this;
  }

  // ---- inputs
  // Given: a value of the same graph. Execute: appends it as an input. Result: a use is recorded.
  addInput(v: Value): Value {
    return this.insertInput(this.inputs.length, v);
  }
  // Given: an index and a value. Execute: inserts the input there and shifts later uses' offsets.
  // Result: `inputs[i] === v` and every use record matches its position.
  insertInput(i: number, v: Value): Value {
    if (v.owningGraph() !== this.graph) throw new IRError(`${this.kind} cannot take %${v.debugName()}: it belongs to another graph`);
    const ins = this.inputs as Value[];
    for (let j = ins.length - 1; j >= i; j--) findUse(ins[j], this, j).offset = j + 1;
    ins.splice(i, 0, v);
    v.uses.push({ user: this, offset: i });
    return v;
  }
  // Given: an index and a value. Execute: swaps the input, moving the use record.
  // Result: returns the old input, which lost this use.
  replaceInput(i: number, v: Value): Value {
    const ins = this.inputs as Value[];
    const old = ins[i];
    dropUse(old, this, i);
    ins[i] = v;
    v.uses.push({ user: this, offset: i });
    return old;
  }
  // Given: two values. Execute: replaces every occurrence of `from` among the inputs by `to`.
  // Result: `from` has no uses by this node.
  replaceInputWith(from: Value, to: Value): void {
    this.inputs.forEach((v, i) => { if (v === from) this.replaceInput(i, to); });
  }
  // Given: an index. Execute: removes the input and its use; later inputs' use offsets shift down.
  // Result: use lists stay consistent.
  removeInput(i: number): void {
    const ins = this.inputs as Value[];
    dropUse(ins[i], this, i);
    for (let j = i + 1; j < ins.length; j++) findUse(ins[j], this, j).offset = j - 1;
    ins.splice(i, 1);
  }
  // Given: any node. Execute: removes all inputs, last first. Result: no input, no use by this node.
  removeAllInputs(): void {
    for (let i = this.inputs.length - 1; i >= 0; i--) this.removeInput(i);
  }

  // ---- outputs
  // Given: an index. Execute: creates a fresh value (type Tensor) as output `i`.
  // Result: later outputs' offsets shift up; returns the new value.
  insertOutput(i: number, type: JitType = TensorT): Value {
    const outs = this.outputs as Value[];
    const v = new Value(this, i, this.graph.nextUnique++, type);
    outs.splice(i, 0, v);
    for (let j = i + 1; j < outs.length; j++) outs[j].offset = j;
    return v;
  }
  addOutput(type: JitType = TensorT): Value {
    return this.insertOutput(this.outputs.length, type);
  }
  // Given: an output with no uses. Execute: removes it and frees its name.
  // Result: later outputs' offsets shift down.
  eraseOutput(i: number): void {
    const outs = this.outputs as Value[];
    const v = outs[i];
    if (v.hasUses()) throw new IRError(`cannot erase output %${v.debugName()} of ${this.kind}: it still has ${v.uses.length} uses`);
    v.setDebugName('');
    outs.splice(i, 1);
    for (let j = i; j < outs.length; j++) outs[j].offset = j;
  }

  // ---- blocks
  // Given: a node. Execute: appends an empty block (no inputs, nodes or outputs). Result: returns it.
  addBlock(): Block {
    const b = new Block(this.graph, this);
    (this.blocks as Block[]).push(b);
    return b;
  }
  // Given: an index. Execute: destroys the block's contents and removes it. Result: fewer blocks.
  eraseBlock(i: number): void {
    const b = this.blocks[i];
    b.destroy();
    (this.blocks as Block[]).splice(i, 1);
  }

  // ---- placement
  // Given: an unattached node and a node `n` in a block. Execute: links this node just before `n`.
  // Result: this node is in `n`'s block, between `n.prev` and `n`.
  insertBefore(n: Node): this {
    const prev = n.prevNode;
    if (!prev) throw new IRError(`cannot insert ${this.kind} before ${n.kind}: that node is not in a block`);
    return this.link(prev, n);
  }
  // Given: an unattached node and a node `n` in a block. Execute: links this node just after `n`.
  // Result: this node is in `n`'s block, between `n` and `n.next`.
  insertAfter(n: Node): this {
    const next = n.nextNode;
    if (!next) throw new IRError(`cannot insert ${this.kind} after ${n.kind}: that node is not in a block`);
    return this.link(n, next);
  }
  // Given: a node in a block and a node `n` of the same graph. Execute: unlinks this node and links
  // it before (after) `n`, maybe in another block. Result: inputs, outputs and uses are unchanged.
  moveBefore(n: Node): this {
    this.removeFromBlock();
    return this.insertBefore(n);
  }
  moveAfter(n: Node): this {
    this.removeFromBlock();
    return this.insertAfter(n);
  }
  // Given: a node in a block. Execute: unlinks it, keeping inputs, outputs and uses.
  // Result: the node is unattached and can be inserted elsewhere.
  removeFromBlock(): void {
    if (!this.inBlockList()) throw new IRError(`${this.kind} is not in a block`);
    this.prevNode!.nextNode = this.nextNode;
    this.nextNode!.prevNode = this.prevNode;
    this.prevNode = this.nextNode = null;
    this.owningBlock = null;
  }
  // Given: a node whose outputs have no uses. Execute: drops its inputs' uses, destroys its
  // blocks and unlinks it. Result: the node is gone from the graph; its value names are free.
  destroy(): void {
    for (const o of this.outputs) {
      if (o.hasUses()) {
        throw new IRError(`cannot destroy ${this.kind}: output %${o.debugName()} still has ${o.uses.length} uses`);
      }
    }
    for (let i = this.blocks.length - 1; i >= 0; i--) this.eraseBlock(i);
    for (const o of this.outputs) o.setDebugName('');
    this.removeAllInputs();
    if (this.inBlockList()) this.removeFromBlock();
  }

  /** Whether this node runs before `n` in program order (both in the same graph). */
  isBefore(n: Node): boolean {
    if (this === n) return false;
    // Lift both to ancestors in a common block, then compare positions there.
    const chain = (x: Node) => {
      const c: Node[] = [x];
      for (let p = x.owningNode(); p; p = p.owningNode()) c.push(p);
      return c;
    };
    const a = chain(this);
    const b = chain(n);
    for (const x of a) {
      const y = b.find((m) => m.owningBlock === x.owningBlock);
      if (!y) continue;
      if (x === y) return false; // one is nested inside the other: neither runs first
      return orderKey(x) < orderKey(y);
    }
    throw new IRError(`${this.kind} and ${n.kind} are not in the same graph`);
  }
  isAfter(n: Node): boolean { return n.isBefore(this); }

  private link(prev: Node, next: Node): this {
    if (this.inBlockList()) throw new IRError(`${this.kind} is already in a block; use moveBefore/moveAfter`);
    const block = next.owningBlock!;
    if (this.graph !== block.graph) throw new IRError(`${this.kind} belongs to another graph`);
    this.prevNode = prev;
    this.nextNode = next;
    prev.nextNode = this;
    next.prevNode = this;
    this.owningBlock = block;
    const ret = block.returnNode;
    const lo = prev === ret ? null : prev.position;
    const hi = next === ret ? null : next.position;
    if (lo === null && hi === null) this.position = 0;
    else if (lo === null) this.position = hi! - POSITION_GAP;
    else if (hi === null) this.position = lo + POSITION_GAP;
    else {
      this.position = (lo + hi) / 2;
      if (this.position <= lo || this.position >= hi) block.renumber();
    }
    return this;
  }
}

function orderKey(n: Node): number {
  const b = n.owningBlock!;
  if (n === b.paramNode) return -Infinity;
  if (n === b.returnNode) return Infinity;
  return n.position;
}

function findUse(v: Value, user: Node, offset: number): Use {
  const u = v.uses.find((x) => x.user === user && x.offset === offset);
  if (!u) throw new IRError(`use list of %${v.debugName()} lacks ${user.kind} input ${offset}`);
  return u;
}

function dropUse(v: Value, user: Node, offset: number): void {
  v.uses.splice(v.uses.indexOf(findUse(v, user, offset)), 1);
}

function cloneAttr(a: AttrValue): AttrValue {
  switch (a.kind) {
    case 'g': return { kind: 'g', value: a.value.copy() };
    case 'is': case 'fs': case 'ss': case 'tys': return { kind: a.kind, value: [...a.value] } as AttrValue;
    default: return { ...a };
  }
}

export class Block {
  /** Its outputs are the block's inputs (loop counters, carried values). */
  readonly paramNode: Node;
  /** Its inputs are the block's outputs; it is also the sentinel of the circular node list. */
  readonly returnNode: Node;

  constructor(readonly graph: Graph, readonly owningNode: Node | null) {
    this.paramNode = new Node(graph, 'prim::Param');
    this.returnNode = new Node(graph, 'prim::Return');
    this.paramNode.owningBlock = this.returnNode.owningBlock = this;
    this.returnNode.prevNode = this.returnNode.nextNode = this.returnNode;
  }

  get inputs(): readonly Value[] { return this.paramNode.outputs; }
  get outputs(): readonly Value[] { return this.returnNode.inputs; }

  /** A snapshot of the nodes in order; safe to mutate the block while walking it. */
  nodes(): Node[] {
    const out: Node[] = [];
    for (let n = this.returnNode.nextNode!; n !== this.returnNode; n = n.nextNode!) out.push(n);
    return out;
  }
  firstNode(): Node | null { return this.isEmpty() ? null : this.returnNode.nextNode; }
  lastNode(): Node | null { return this.isEmpty() ? null : this.returnNode.prevNode; }
  isEmpty(): boolean { return this.returnNode.nextNode === this.returnNode; }

  // Given: an optional name. Execute: appends a block input. Result: returns the new value.
  addInput(name = '', type: JitType = TensorT): Value {
    return this.insertInput(this.inputs.length, name, type);
  }
  // Given: an index. Execute: inserts a block input there. Result: later inputs shift up.
  insertInput(i: number, name = '', type: JitType = TensorT): Value {
    const v = this.paramNode.insertOutput(i, type);
    if (name) v.setDebugName(name);
    return v;
  }
  // Given: an unused block input. Execute: removes it. Result: later inputs shift down.
  eraseInput(i: number): void { this.paramNode.eraseOutput(i); }
  // Given: a value visible at the block's end. Execute: appends it to the outputs. Result: its index.
  registerOutput(v: Value): number {
    this.returnNode.addInput(v);
    return this.outputs.length - 1;
  }
  // Given: an index (and a value). Execute: inserts / removes that block output and its use.
  // Result: later outputs shift.
  insertOutput(i: number, v: Value): void { this.returnNode.insertInput(i, v); }
  eraseOutput(i: number): void { this.returnNode.removeInput(i); }

  // Given: an unattached node. Execute: links it at the end (or start) of this block.
  appendNode(n: Node): Node { return n.insertBefore(this.returnNode); }
  prependNode(n: Node): Node { return n.insertAfter(this.returnNode); }

  // Given: a block whose values are no longer used outside it. Execute: destroys its nodes (last
  // first) and drops its outputs. Result: an empty block.
  destroy(): void {
    this.returnNode.removeAllInputs();
    for (const n of this.nodes().reverse()) n.destroy();
    for (const v of this.inputs) v.setDebugName('');
  }

  /** @internal Spreads positions out again after many insertions at one spot. */
  renumber(): void {
    let p = 0;
    for (const n of this.nodes()) { n.position = p; p += POSITION_GAP; }
  }

  // Given: a block of another (or this) graph and a map from outer values it uses. Execute: clones
  // its inputs, nodes and outputs into this empty block. Result: `valueMap` also maps its values.
  cloneFrom(src: Block, valueMap: (v: Value) => Value, env?: Map<Value, Value>): void {
    const map = env ?? new Map<Value, Value>();
    const lookup = (v: Value) => map.get(v) ?? valueMap(v);
    for (const v of src.inputs) map.set(v, this.addInput().copyMetadata(v));
    for (const n of src.nodes()) {
      const c = this.graph.createClone(n, lookup, map);
      this.appendNode(c);
      n.outputs.forEach((o, i) => map.set(o, c.outputs[i]));
    }
    for (const v of src.outputs) this.registerOutput(lookup(v));
  }
}

export class Graph {
  readonly block: Block;
  /** Next `unique` number; the parser raises it past the numbers it reads. */
  nextUnique = 0;
  /** Scope given to created nodes (the tracer's module path). */
  currentScope = '';
  /** @internal debug-name table for `Value.setDebugName`. */
  readonly uniqueNames = new Map<string, Value>();
  /** @internal highest suffix handed out per name base. */
  readonly nameBaseSuffix = new Map<string, number>();
  private insertPointNode: Node;

  constructor() {
    this.block = new Block(this, null);
    this.insertPointNode = this.block.returnNode;
  }

  get inputs(): readonly Value[] { return this.block.inputs; }
  get outputs(): readonly Value[] { return this.block.outputs; }
  nodes(): Node[] { return this.block.nodes(); }

  // Graph inputs and outputs are the top block's: see Block for their Given / Execute / Result.
  addInput(name = '', type: JitType = TensorT): Value { return this.block.addInput(name, type); }
  insertInput(i: number, name = '', type: JitType = TensorT): Value { return this.block.insertInput(i, name, type); }
  eraseInput(i: number): void { this.block.eraseInput(i); }
  registerOutput(v: Value): number { return this.block.registerOutput(v); }
  eraseOutput(i: number): void { this.block.eraseOutput(i); }

  /** A new, unattached node with `nOutputs` Tensor-typed outputs; place it with insertNode etc. */
  createNode(kind: string, inputs: readonly Value[] = [], nOutputs = 1): Node {
    const n = new Node(this, kind);
    n.scopeName = this.currentScope;
    for (const v of inputs) n.addInput(v);
    for (let i = 0; i < nOutputs; i++) n.addOutput();
    return n;
  }

  // Given: an unattached node of this graph. Execute: inserts it before the insert point.
  // Result: it is placed; the insert point is unchanged, so successive inserts keep their order.
  insertNode(n: Node): Node { return n.insertBefore(this.insertPointNode); }
  appendNode(n: Node): Node { return this.block.appendNode(n); }
  prependNode(n: Node): Node { return this.block.prependNode(n); }

  /** New nodes go before this node (a block's Return node means "at the end of that block"). */
  insertPoint(): Node { return this.insertPointNode; }
  // Given: a node or a block. Execute: later inserts go before that node (at the block's end).
  // Result: `insertPoint()` is the node, or the block's Return node.
  setInsertPoint(p: Node | Block): void {
    this.insertPointNode = p instanceof Block ? p.returnNode : p;
  }
  /** Runs `fn` with the insert point moved to `p`, then restores it (PyTorch's WithInsertPoint). */
  withInsertPoint<T>(p: Node | Block, fn: () => T): T {
    const saved = this.insertPointNode;
    this.setInsertPoint(p);
    try {
      return fn();
    } finally {
      this.insertPointNode = saved;
    }
  }

  // Given: a JS value (and optionally its JIT type, e.g. FloatT for a whole number). Execute:
  // inserts a prim::Constant at the insert point, encoded as PyTorch does (bools as i, None with
  // no attribute). Result: returns its output value.
  insertConstant(value: ConstantValue, opts: { type?: JitType; sourceRange?: SourceRange } = {}): Value {
    const n = this.createNode('prim::Constant', [], 1);
    const { attr, type } = encodeConstant(value, opts.type);
    if (attr) n.setAttr('value', attr);
    n.output().setType(type);
    if (opts.sourceRange) n.sourceRange = opts.sourceRange;
    return this.insertNode(n).output();
  }

  // Given: a node of any graph and a map for its inputs. Execute: makes an unattached copy in this
  // graph: same kind, attributes, source range and scope, outputs with copied types and names,
  // blocks cloned recursively. Result: returns the copy.
  createClone(n: Node, valueMap: (v: Value) => Value, env?: Map<Value, Value>): Node {
    const c = new Node(this, n.kind);
    for (const o of n.outputs) c.addOutput().copyMetadata(o);
    c.copyAttrs(n);
    c.sourceRange = n.sourceRange;
    c.scopeName = n.scopeName;
    for (const v of n.inputs) c.addInput(valueMap(v));
    for (const b of n.blocks) c.addBlock().cloneFrom(b, valueMap, env);
    return c;
  }

  /** A deep copy that prints identically (names and value numbers are kept). */
  copy(): Graph {
    const g = new Graph();
    g.currentScope = this.currentScope;
    const env = new Map<Value, Value>();
    g.block.cloneFrom(this.block, (v) => {
      throw new IRError(`value %${v.debugName()} is used but not defined in the graph being copied`);
    }, env);
    for (const [from, to] of env) to.unique = from.unique;
    g.nextUnique = this.nextUnique;
    return g;
  }

  // Given: a callee graph and values of this graph for its inputs. Execute: clones the callee's
  // nodes before `insertPoint` (default: the current insert point), mapping its inputs.
  // Result: returns this graph's values for the callee's outputs.
  inlineGraph(callee: Graph, inputs: readonly Value[], insertPoint: Node = this.insertPointNode): Value[] {
    if (inputs.length !== callee.inputs.length) {
      throw new IRError(`inlineGraph: callee takes ${callee.inputs.length} inputs, got ${inputs.length}`);
    }
    const env = new Map<Value, Value>(callee.inputs.map((v, i) => [v, inputs[i]]));
    const lookup = (v: Value) => {
      const m = env.get(v);
      if (!m) throw new IRError(`inlineGraph: callee value %${v.debugName()} is used before it is defined`);
      return m;
    };
    return this.withInsertPoint(insertPoint, () => {
      for (const n of callee.nodes()) {
        const c = this.insertNode(this.createClone(n, lookup, env));
        n.outputs.forEach((o, i) => env.set(o, c.outputs[i]));
      }
      return callee.outputs.map(lookup);
    });
  }
}

function encodeConstant(value: ConstantValue, type?: JitType): { attr?: AttrValue; type: JitType } {
  if (value === null) return { type: type ?? NoneT };
  if (typeof value === 'boolean') return { attr: { kind: 'i', value: value ? 1 : 0 }, type: type ?? BoolT };
  if (typeof value === 'bigint') return { attr: { kind: 'i', value }, type: type ?? IntT };
  if (typeof value === 'number') {
    const isFloat = type ? type.kind === 'float' : !Number.isInteger(value);
    return isFloat ? { attr: { kind: 'f', value }, type: FloatT } : { attr: { kind: 'i', value }, type: type ?? IntT };
  }
  if (typeof value === 'string') return { attr: { kind: 's', value }, type: type ?? StrT };
  if (Array.isArray(value)) {
    const xs = value as unknown[];
    if (type?.kind === 'List' && type.elem.kind === 'float') return { attr: { kind: 'fs', value: xs as number[] }, type };
    if (xs.every((x) => typeof x === 'string')) return { attr: { kind: 'ss', value: xs as string[] }, type: type ?? listType(StrT) };
    if (xs.length > 0 && xs.every((x) => typeof x === 'boolean')) {
      return { attr: { kind: 'is', value: xs.map((x) => (x ? 1 : 0)) }, type: type ?? listType(BoolT) };
    }
    if (xs.some((x) => typeof x === 'number' && !Number.isInteger(x))) {
      return { attr: { kind: 'fs', value: xs as number[] }, type: type ?? listType(FloatT) };
    }
    return { attr: { kind: 'is', value: xs as (number | bigint)[] }, type: type ?? listType(IntT) };
  }
  const t = value as ConstTensor;
  return { attr: { kind: 't', value: t }, type: type ?? { kind: 'Tensor', dtype: t.dtype, sizes: [...t.shape] } };
}

/** The JS value of a prim::Constant's output, decoded by its type; undefined if not a constant. */
export function constantValue(v: Value): ConstantValue | undefined {
  const n = v.node();
  if (n.kind !== 'prim::Constant') return undefined;
  const a = n.attr('value');
  if (!a) return null;
  const t = v.type;
  switch (a.kind) {
    case 'i': return t.kind === 'bool' ? a.value !== 0 && a.value !== 0n : a.value;
    case 'is': return t.kind === 'List' && t.elem.kind === 'bool' ? a.value.map((x) => x !== 0 && x !== 0n) : a.value;
    case 'f': case 's': case 'fs': case 'ss': case 't': return a.value;
    default: return undefined;
  }
}

/** Every node under `block`, depth first in program order (a node before its blocks' nodes). */
export function allNodes(block: Block): Node[] {
  const out: Node[] = [];
  const walk = (b: Block) => {
    for (const n of b.nodes()) {
      out.push(n);
      n.blocks.forEach(walk);
    }
  };
  walk(block);
  return out;
}

// Note [Side effects]: the IR cannot read schemas, so its default answer comes from kinds, as
// PyTorch's Node::hasSideEffects does, plus the naming convention for mutation: in-place ops end
// in `_` (`aten::add_`) and a few list/dict methods mutate their first input. A caller with the
// op table passes a better predicate (schemas whose arguments carry `(a!)`) to the passes.
const SIDE_EFFECT_KINDS = new Set([
  'prim::Print', 'prim::RaiseException', 'prim::SetAttr', 'prim::PythonOp', 'prim::IgnoredPythonOp',
  'prim::CallFunction', 'prim::CallMethod', 'prim::Enter', 'prim::Exit', 'prim::AddStatValue',
  'prim::TimePoint', 'prim::BailOut', 'prim::BailoutTemplate', 'prim::rpc_async', 'prim::rpc_sync',
  'prim::rpc_remote', 'aten::warn', 'aten::save', 'aten::manual_seed', 'aten::wait', 'aten::backward',
]);
const MUTATING_KINDS = new Set([
  'aten::append', 'aten::extend', 'aten::insert', 'aten::pop', 'aten::remove', 'aten::clear',
  'aten::reverse', 'aten::_set_item', 'aten::__setitem__', 'aten::setdefault', 'aten::update',
  'aten::popitem', 'aten::Delete', 'aten::sort', 'aten::__iand__', 'aten::__ior__', 'aten::__ixor__',
  'aten::__ilshift__', 'aten::__irshift__',
]);

/** Whether `n` writes to one of its inputs (by kind: in-place `aten::x_` and list/dict methods). */
export function mutatesInputs(n: Node): boolean {
  return MUTATING_KINDS.has(n.kind) || /^aten::\w*[^_]_$/.test(n.kind);
}

/** The default side-effect test used by the passes: effectful kinds and mutation. */
export function hasSideEffects(n: Node): boolean {
  return SIDE_EFFECT_KINDS.has(n.kind) || mutatesInputs(n);
}
