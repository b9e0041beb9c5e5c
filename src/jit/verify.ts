// Checks a Graph's structural invariants, like PyTorch's Graph::lint: topological order and block
// scoping (each use sees its definition in the same or an enclosing block, earlier), use-list
// consistency, prim::If / prim::Loop arity, unique value names, fusion-group subgraphs. Operator
// arity against schemas belongs to the op table: pass it in as `checkNode`.

import { SUBGRAPH_ATTR, type Block, type Graph, type Node, type Value } from './ir.js';
import { printNode } from './printer.js';

export class GraphVerifyError extends Error {
  constructor(message: string, readonly node: Node | null) {
    super(node ? `${message}, at: ${printNode(node).trim()}` : message);
    this.name = 'GraphVerifyError';
  }
}

export interface VerifyOptions {
  /** Extra per-node checks (e.g. schema arity); throw to reject the node. */
  checkNode?: (n: Node) => void;
}

export function verifyGraph(g: Graph, opts: VerifyOptions = {}): void {
  new Verifier(g, opts).run();
}

class Verifier {
  private inScope = new Set<Value>();
  private names = new Map<string, Value>();

  constructor(private g: Graph, private opts: VerifyOptions) {}

  run(): void {
    this.block(this.g.block, null);
  }

  private block(b: Block, owner: Node | null): void {
    if (b.owningNode !== owner || b.graph !== this.g) throw new GraphVerifyError('block has a wrong owner', owner);
    const defined: Value[] = [];
    this.define(b.inputs, b.paramNode, defined);
    let prev = b.returnNode;
    for (const n of b.nodes()) {
      if (n.prevNode !== prev || n.owningBlock !== b) throw new GraphVerifyError('node list links are broken', n);
      if (n.graph !== this.g) throw new GraphVerifyError('node belongs to another graph', n);
      this.uses(n);
      this.arity(n);
      this.opts.checkNode?.(n);
      for (const inner of n.blocks) this.block(inner, n);
      this.define(n.outputs, n, defined);
      prev = n;
    }
    if (b.returnNode.prevNode !== prev) throw new GraphVerifyError('block list end is broken', owner);
    this.uses(b.returnNode);
    for (const v of defined) this.inScope.delete(v);
  }

  /** Every input is in scope and records this use. */
  private uses(n: Node): void {
    n.inputs.forEach((v, i) => {
      const where = n.kind === 'prim::Return' ? n.owningBlock?.owningNode ?? null : n;
      if (!this.inScope.has(v)) {
        throw new GraphVerifyError(`%${v.debugName()} (input ${i} of ${n.kind}) is used where its definition does not dominate`, where);
      }
      if (!v.uses.some((u) => u.user === n && u.offset === i)) {
        throw new GraphVerifyError(`use list of %${v.debugName()} lacks input ${i} of ${n.kind}`, where);
      }
    });
  }

  private define(vs: readonly Value[], producer: Node, defined: Value[]): void {
    vs.forEach((v, i) => {
      const owner = producer.kind === 'prim::Param' ? producer.owningBlock?.owningNode ?? null : producer;
      if (v.node() !== producer || v.offset !== i) throw new GraphVerifyError(`%${v.debugName()} has a wrong producer or offset`, owner);
      const name = v.debugName();
      if (this.names.has(name)) throw new GraphVerifyError(`value name %${name} is used twice`, owner);
      this.names.set(name, v);
      for (const u of v.uses) {
        if (u.user.inputs[u.offset] !== v) {
          throw new GraphVerifyError(`use list of %${name} names input ${u.offset} of ${u.user.kind}, which is another value`, owner);
        }
        if (u.user.kind !== 'prim::Return' && !u.user.inBlockList()) {
          throw new GraphVerifyError(`%${name} is used by a ${u.user.kind} node that is not in the graph`, owner);
        }
      }
      this.inScope.add(v);
      defined.push(v);
    });
  }

  // Note [Control-flow arity]: prim::If(cond) has two blocks without inputs, each returning one
  // value per node output. prim::Loop(max_trip_count, cond, carried...) has one block taking
  // (iteration, carried...) and returning (cond, carried...); its outputs are the carried values.
  private arity(n: Node): void {
    const fail = (what: string) => { throw new GraphVerifyError(`${n.kind} ${what}`, n); };
    if (n.kind === 'prim::Constant' && n.inputs.length) fail('takes no inputs');
    if (n.kind === 'prim::If') {
      if (n.inputs.length !== 1) fail(`takes 1 input (the condition), has ${n.inputs.length}`);
      if (n.blocks.length !== 2) fail(`has ${n.blocks.length} blocks, expected 2`);
      n.blocks.forEach((b, i) => {
        if (b.inputs.length) fail(`block${i} takes ${b.inputs.length} inputs, expected none`);
        if (b.outputs.length !== n.outputs.length) fail(`block${i} returns ${b.outputs.length} values for ${n.outputs.length} outputs`);
      });
    }
    if (n.kind === 'prim::Loop') {
      const carried = n.inputs.length - 2;
      if (carried < 0) fail(`takes (max_trip_count, cond, carried...), has ${n.inputs.length} inputs`);
      if (n.blocks.length !== 1) fail(`has ${n.blocks.length} blocks, expected 1`);
      const body = n.blocks[0];
      if (body.inputs.length !== carried + 1) fail(`body takes ${body.inputs.length} inputs, expected ${carried + 1} (iteration + carried)`);
      if (body.outputs.length !== carried + 1) fail(`body returns ${body.outputs.length} values, expected ${carried + 1} (cond + carried)`);
      if (n.outputs.length !== carried) fail(`has ${n.outputs.length} outputs for ${carried} carried values`);
    }
    const sub = n.attr(SUBGRAPH_ATTR);
    if (sub?.kind === 'g') {
      if (sub.value.inputs.length !== n.inputs.length || sub.value.outputs.length !== n.outputs.length) {
        fail(`subgraph has ${sub.value.inputs.length} inputs and ${sub.value.outputs.length} outputs for a node with ${n.inputs.length} and ${n.outputs.length}`);
      }
      verifyGraph(sub.value, this.opts);
    }
  }
}
