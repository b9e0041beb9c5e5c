// The emitter's base (AST -> SSA graph, after PyTorch's ir_emitter.cpp), split by concept over
// emit-core (graph helpers, op resolution) < emit-conditions < emit-expressions < emit-calls <
// emit-control (if, loops, exits) < emitter (statements, the function). Every value gets a static
// type; calls resolve against the op table.
import type * as A from '../frontend/ast.js';
import { Graph, type Node, type Value } from '../ir.js';
import { AnyT, listType, tupleType, typeToPython, type JitType } from '../types.js';
import { OP_TABLE } from '../../ops/index.js';
import { Tensor } from '../../sdk/tensor.js';
import type { ClassInfo } from '../module.js';
import { typeFromExpr } from './annotations.js';
import { ScriptCompileError } from './errors.js';
import { findOverload, materialize } from './schema-match.js';
import { Scope, type Sugared } from './scope.js';
import type { ScriptFunction } from './unit.js';
import { RESOLVED_ROWS, UNRESOLVED, constTensorOf } from './resolved.js';

/** A condition: its bool value (or a static answer) and the narrowings it implies per branch. */
export interface Cond {
  v?: Value;
  static?: boolean;
  onTrue: Map<string, JitType>;
  onFalse: Map<string, JitType>;
}

export abstract class EmitCore {
  readonly g = new Graph();
  protected pos: A.Pos;
  protected readonly file: string;

  constructor(protected readonly fn: ScriptFunction) {
    this.file = fn.file;
    this.pos = fn.def.pos;
  }

  // Implemented by the later layers (conditions, expressions, calls, control flow, statements).
  abstract value(e: A.Expr, scope: Scope, hint?: JitType): Value;
  protected abstract expr(e: A.Expr, scope: Scope, hint?: JitType): Sugared;
  protected abstract valueWithType(e: A.Expr, type: JitType, scope: Scope): Value;
  protected abstract cond(e: A.Expr, scope: Scope): Cond;
  protected abstract attribute(base: Sugared, attr: string, pos: A.Pos): Sugared;
  protected abstract call(e: A.Call, scope: Scope, hint?: JitType): Sugared;
  protected abstract emitIf(c: Cond, scope: Scope, thenFn: (s: Scope) => void, elseFn: (s: Scope) => void): void;
  protected abstract forStmt(s: A.For, scope: Scope): void;
  protected abstract block(stmts: readonly A.Stmt[], scope: Scope): void;
  protected abstract assign(t: A.Expr, s: Sugared, scope: Scope): void;

  protected fail(msg: string, pos: A.Pos = this.pos): never {
    throw new ScriptCompileError(msg, this.file, pos);
  }

  protected node(kind: string, inputs: readonly Value[], nOutputs = 1): Node {
    const n = this.g.createNode(kind, inputs, nOutputs);
    n.sourceRange = { file: this.file, line: this.pos.line, col: this.pos.col };
    return this.g.insertNode(n);
  }

  protected const(value: unknown, type?: JitType): Value {
    if (value instanceof Tensor) return this.tensorConst(value);
    if (Array.isArray(value) && type?.kind === 'Tuple') {
      return this.node('prim::TupleConstruct', value.map((x, i) => this.const(x, type.elems[i]))).output().setType(type);
    }
    if (Array.isArray(value) && !value.every((x) => typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean')) {
      const vs = value.map((x) => this.const(x));
      return this.node('prim::ListConstruct', vs).output().setType(listType(vs.length ? vs[0].type : AnyT));
    }
    const t = type && type.kind !== 'Any' ? type : undefined;
    const v = this.g.insertConstant(value as never, { type: t });
    v.node().sourceRange = { file: this.file, line: this.pos.line, col: this.pos.col };
    return v;
  }

  protected tensorConst(t: Tensor): Value {
    const ct = constTensorOf(t);
    const v = this.g.insertConstant(ct);
    return v;
  }

  protected uninitialized(type: JitType): Value {
    return this.node('prim::Uninitialized', [], 1).output().setType(type);
  }

  protected classOf(t: JitType): ClassInfo | null {
    if (t.kind !== 'Class') return null;
    return (t.cls as ClassInfo | undefined) ?? this.fn.unit.getClass(t.name);
  }

  /** The tuple type behind a tuple or a NamedTuple value, or null. */
  protected tupleOf(t: JitType): { kind: 'Tuple'; elems: JitType[] } | null {
    if (t.kind === 'Tuple') return t;
    const cls = this.classOf(t);
    return cls?.base === 'NamedTuple' ? cls.tupleType() as { kind: 'Tuple'; elems: JitType[] } : null;
  }

  protected typeOf(e: A.Expr): JitType {
    return typeFromExpr(e, this.file, (n) => this.fn.unit.resolveClassType(n, this.file, e));
  }

  protected asValue(s: Sugared, pos = this.pos): Value {
    switch (s.kind) {
      case 'value': return s.v;
      case 'builtin': return this.fail(`builtin '${s.op}' cannot be used as a value`, pos);
      case 'method': return this.fail(`method '${s.fn.name}' cannot be used as a value`, pos);
      case 'function': return this.fail(`function '${s.fn.qualname}' cannot be used as a value`, pos);
      case 'class': return this.fail(`class '${s.cls.qualname}' cannot be used as a value`, pos);
      case 'ns': return this.fail(`module '${s.path}' cannot be used as a value`, pos);
      case 'special': return this.fail(`builtin '${s.name}' cannot be used as a value`, pos);
    }
  }

  /** Emits an operator call, resolving the overload; an unknown op still becomes a node. */
  op(kind: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value> = new Map()): Value {
    const outs = this.opN(kind, args, kwargs);
    if (outs.length === 1) return outs[0];
    if (outs.length === 0) return this.const(null);
    return this.node('prim::TupleConstruct', outs).output().setType(tupleType(outs.map((o) => o.type)));
  }

  protected opN(kind: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): Value[] {
    const rows = OP_TABLE.get(kind);
    const m = rows && findOverload(rows, args, kwargs);
    if (m) {
      const inputs = materialize(this.g, m);
      const n = this.node(kind, inputs, m.returns.length);
      m.returns.forEach((t, i) => n.outputs[i].setType(t));
      RESOLVED_ROWS.set(n, m.row);
      return [...n.outputs];
    }
    // STYLE item 5: an op we cannot resolve is kept as a node and fails when it runs.
    const n = this.node(kind, [...args, ...kwargs.values()], 1);
    const where = `${this.file}:${this.pos.line}:${this.pos.col}`;
    const types = [...args.map((a) => typeToPython(a.type)), ...[...kwargs].map(([k, v]) => `${k}=${typeToPython(v.type)}`)].join(', ');
    UNRESOLVED.set(n, rows ? `no overload of '${kind}' accepts (${types}) at ${where}` : `at ${where}`);
    return [n.output()];
  }
}
