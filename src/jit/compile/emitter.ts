// AST -> SSA graph, after PyTorch's ir_emitter.cpp: statements become nodes at the insert point,
// `if` becomes prim::If with one output per variable either branch assigns, loops become
// prim::Loop(max_trip_count, cond, carried...) whose body block takes (i, carried...) and yields
// (cond, carried...). Every value gets a static type; calls resolve against the op table.
import type * as A from '../frontend/ast.js';
import { Block, Graph, constantValue, type Node, type Value } from '../ir.js';
import {
  AnyT, BoolT, FloatT, IntT, NoneT, StrT, TensorT, isSubtypeOf, listType, optionalType, tupleType, typeToPython, unify,
  dictType, type JitType,
} from '../types.js';
import { OP_TABLE } from '../../ops/index.js';
import { Tensor } from '../../sdk/tensor.js';
import type { ClassInfo } from '../module.js';
import { typeFromExpr, dottedName } from './annotations.js';
import { ScriptCompileError } from './errors.js';
import { findOverload, insertDefault, materialize } from './schema-match.js';
import {
  COND_VAR, EXIT_VARS, RETURNED_VAR, RETURN_VAR, Scope, assignedNames, containsLoopExit, containsReturn, structureExits,
  type ExitStatus, type Sugared,
} from './scope.js';
import type { ScriptFunction } from './unit.js';
import { RESOLVED_ROWS, UNRESOLVED, constTensorOf } from './resolved.js';

const DTYPE_CONSTANTS: Record<string, number> = {
  uint8: 0, int8: 1, int16: 2, short: 2, int32: 3, int: 3, int64: 4, long: 4, float16: 5, half: 5,
  float32: 6, float: 6, float64: 7, double: 7, bool: 11, bfloat16: 15,
};
const SPECIALS = new Set(['len', 'int', 'float', 'bool', 'str', 'range', 'min', 'max', 'abs', 'getattr', 'hasattr',
  'print', 'isinstance', 'annotate', 'unchecked_cast', 'uninitialized', 'zip', 'enumerate', 'list', 'sum', 'any', 'all',
  'round', 'sorted', 'divmod', 'tuple']);
const BINARY_OPS: Record<A.BinaryOp, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floordiv', '%': 'remainder', '**': 'pow', '@': 'matmul',
  '<<': '__lshift__', '>>': '__rshift__', '&': '__and__', '|': '__or__', '^': '__xor__',
};
const COMPARE_OPS: Record<string, string> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
const MAX_TRIP = 9223372036854775807n;

/** A condition: its bool value (or a static answer) and the narrowings it implies per branch. */
interface Cond {
  v?: Value;
  static?: boolean;
  onTrue: Map<string, JitType>;
  onFalse: Map<string, JitType>;
}

export function emitFunction(fn: ScriptFunction): Graph {
  return new Emitter(fn).run();
}

class Emitter {
  readonly g = new Graph();
  private pos: A.Pos;
  private readonly file: string;

  constructor(private readonly fn: ScriptFunction) {
    this.file = fn.file;
    this.pos = fn.def.pos;
  }

  run(): Graph {
    const scope = new Scope(null);
    const sig = this.fn.signature();
    sig.params.forEach((p) => {
      const v = this.g.addInput(p.name === 'self' ? 'self' : p.name, p.type);
      scope.vars.set(p.name, { kind: 'value', v });
    });
    this.block(structureExits(this.fn.def.body), scope);
    // Paths that did not return inside a loop fall off the end: they return None.
    if (scope.exit === 'might') this.guard([{ kind: 'return', pos: this.fn.def.pos }], scope);
    let ret = scope.lookup(RETURN_VAR);
    const declared = sig.returns;
    if (!ret) ret = { kind: 'value', v: this.g.insertConstant(null) };
    let v = this.asValue(ret);
    if (declared && !isSubtypeOf(v.type, declared)) {
      if (v.type.kind === 'int' && declared.kind === 'float') v = this.op('aten::Float', [v]);
      else this.fail(`function '${this.fn.name}' is declared to return ${typeToPython(declared)} but returns ${typeToPython(v.type)}`, this.fn.def.pos);
    }
    this.g.registerOutput(v);
    settlePending(this.g.block, v.type);
    return this.g;
  }

  // ------------------------------------------------------------------ helpers

  private fail(msg: string, pos: A.Pos = this.pos): never {
    throw new ScriptCompileError(msg, this.file, pos);
  }

  private node(kind: string, inputs: readonly Value[], nOutputs = 1): Node {
    const n = this.g.createNode(kind, inputs, nOutputs);
    n.sourceRange = { file: this.file, line: this.pos.line, col: this.pos.col };
    return this.g.insertNode(n);
  }

  private const(value: unknown, type?: JitType): Value {
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

  private tensorConst(t: Tensor): Value {
    const ct = constTensorOf(t);
    const v = this.g.insertConstant(ct);
    return v;
  }

  private classOf(t: JitType): ClassInfo | null {
    if (t.kind !== 'Class') return null;
    return (t.cls as ClassInfo | undefined) ?? this.fn.unit.getClass(t.name);
  }

  /** The tuple type behind a tuple or a NamedTuple value, or null. */
  private tupleOf(t: JitType): { kind: 'Tuple'; elems: JitType[] } | null {
    if (t.kind === 'Tuple') return t;
    const cls = this.classOf(t);
    return cls?.base === 'NamedTuple' ? cls.tupleType() as { kind: 'Tuple'; elems: JitType[] } : null;
  }

  private typeOf(e: A.Expr): JitType {
    return typeFromExpr(e, this.file, (n) => this.fn.unit.resolveClassType(n, this.file, e));
  }

  private asValue(s: Sugared, pos = this.pos): Value {
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

  private opN(kind: string, args: readonly Value[], kwargs: ReadonlyMap<string, Value>): Value[] {
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

  // ------------------------------------------------------------------ statements

  private block(stmts: readonly A.Stmt[], scope: Scope): void {
    for (let i = 0; i < stmts.length; i++) {
      if (scope.left) return;
      if (scope.exit === 'might') return this.guard(stmts.slice(i), scope);
      this.pos = stmts[i].pos;
      this.stmt(stmts[i], scope);
    }
  }

  private stmt(s: A.Stmt, scope: Scope): void {
    switch (s.kind) {
      case 'expr':
        if (s.value.kind === 'str') return; // docstring
        this.expr(s.value, scope);
        if (s.value.kind === 'call' && dottedName(s.value.func) === 'ops.prim.RaiseException') scope.exit = 'throws';
        return;
      case 'assign': {
        if (s.targets.length === 1 && this.assignTuple(s.targets[0], s.value, scope)) return;
        const v = this.expr(s.value, scope);
        for (const t of s.targets) this.assign(t, v, scope);
        return;
      }
      case 'annassign': {
        const type = this.typeOf(s.annotation);
        if (!s.value) return;
        const v = this.valueWithType(s.value, type, scope);
        this.assign(s.target, { kind: 'value', v }, scope);
        return;
      }
      case 'augassign': return this.augAssign(s, scope);
      case 'if': return this.ifStmt(s, scope);
      case 'for': return this.forStmt(s, scope);
      case 'while': return this.whileStmt(s, scope);
      case 'return': return this.returnStmt(s, scope);
      case 'raise': {
        const msg = s.exc ? this.raiseMessage(s.exc, scope) : [this.const('Exception'), this.const(null)];
        this.node('prim::RaiseException', msg, 0);
        scope.exit = 'throws';
        return;
      }
      case 'assert': return this.assertStmt(s, scope);
      case 'pass': case 'import': return;
      case 'break': case 'continue': return this.loopExit(s, scope);
      case 'del': return this.delStmt(s, scope);
      default: return this.fail(`unsupported statement '${s.kind}'`);
    }
  }

  private raiseMessage(e: A.Expr, scope: Scope): Value[] {
    if (e.kind === 'call') {
      const cls = dottedName(e.func) ?? 'Exception';
      const msg = e.args.length ? this.value(e.args[0], scope) : this.const('');
      return [msg, this.const(`builtins.${cls}`)];
    }
    return [this.const(dottedName(e) ?? 'Exception'), this.const(null)];
  }

  private assertStmt(s: A.Assert, scope: Scope): void {
    const c = this.cond(s.test, scope);
    if (c.static === true) return;
    const raise = (sc: Scope) => {
      const msg = s.msg ? this.value(s.msg, sc) : this.const('AssertionError: ');
      this.node('prim::RaiseException', [msg, this.const('builtins.AssertionError')], 0);
    };
    if (c.static === false) return raise(scope);
    const n = this.node('prim::If', [c.v!], 0);
    n.addBlock();
    const fb = n.addBlock();
    this.g.withInsertPoint(fb, () => raise(new Scope(scope)));
  }

  private delStmt(s: A.Del, scope: Scope): void {
    for (const t of s.targets) {
      if (t.kind !== 'subscript') this.fail('del only supports subscripts');
      const base = this.value(t.value, scope);
      this.op('aten::Delete', [base, this.value(t.indices[0], scope)]);
    }
  }

  /** `a, b = x, y` with a tuple literal on the right: emitted element-wise, no tuple built. */
  private assignTuple(target: A.Expr, value: A.Expr, scope: Scope): boolean {
    if ((target.kind !== 'tuple' && target.kind !== 'list') || value.kind !== 'tuple' || target.elts.length !== value.elts.length) return false;
    const vs = value.elts.map((e) => this.expr(e, scope));
    target.elts.forEach((t, i) => this.assign(t, vs[i], scope));
    return true;
  }

  private assign(t: A.Expr, s: Sugared, scope: Scope): void {
    switch (t.kind) {
      case 'name': {
        if (s.kind === 'value' && !s.v.hasDebugName() && s.v.node().kind !== 'prim::Param' && !/^\d/.test(t.id)) s.v.setDebugName(t.id);
        scope.vars.set(t.id, s);
        return;
      }
      case 'tuple': case 'list': {
        const v = this.asValue(s);
        const outs = this.unpack(v, t.elts.length);
        t.elts.forEach((e, i) => this.assign(e, { kind: 'value', v: outs[i] }, scope));
        return;
      }
      case 'attribute': {
        const obj = this.value(t.value, scope);
        const cls = this.classOf(obj.type);
        if (!cls) this.fail(`cannot assign attribute '${t.attr}' of a ${typeToPython(obj.type)}`);
        const n = this.node('prim::SetAttr', [obj, this.asValue(s)], 0);
        n.setAttr('name', { kind: 's', value: t.attr });
        return;
      }
      case 'subscript': return this.assignSubscript(t, this.asValue(s), scope);
      default: this.fail(`cannot assign to a ${t.kind} expression`);
    }
  }

  private unpack(v: Value, n: number): Value[] {
    const t = this.tupleOf(v.type) ?? v.type;
    if (t.kind === 'Tuple') {
      if (t.elems.length !== n) this.fail(`cannot unpack a tuple of ${t.elems.length} values into ${n} targets`);
      const u = this.node('prim::TupleUnpack', [v], n);
      u.outputs.forEach((o, i) => o.setType(t.elems[i]));
      return [...u.outputs];
    }
    if (t.kind === 'List') {
      const u = this.node('prim::ListUnpack', [v], n);
      u.outputs.forEach((o) => o.setType(t.elem));
      return [...u.outputs];
    }
    if (t.kind === 'Tensor') return Array.from({ length: n }, (_, i) => this.op('aten::select', [v, this.const(0), this.const(i)]));
    return this.fail(`cannot unpack a value of type ${typeToPython(t)}`);
  }

  private assignSubscript(t: A.Subscript, v: Value, scope: Scope): void {
    const base = this.value(t.value, scope);
    if (base.type.kind === 'Tensor') {
      const view = this.tensorIndex(base, t.indices, scope);
      if (v.type.kind === 'Tensor') this.op('aten::copy_', [view, v]);
      else this.op('aten::fill_', [view, v]);
      return;
    }
    this.op('aten::_set_item', [base, this.value(t.indices[0], scope), v]);
  }

  private augAssign(s: A.AugAssign, scope: Scope): void {
    const cur = this.value(s.target, scope);
    const rhs = this.value(s.value, scope);
    let v: Value;
    if (cur.type.kind === 'Tensor' && s.target.kind !== 'name') {
      v = this.op(`aten::${BINARY_OPS[s.op]}_`, [cur, rhs]);
    } else if (cur.type.kind === 'List' && s.op === '+') {
      this.op('aten::extend', [cur, rhs]);
      v = cur;
    } else {
      v = this.binary(s.op, cur, rhs);
    }
    this.assign(s.target, { kind: 'value', v }, scope);
  }

  // ------------------------------------------------------------------ control flow

  private ifStmt(s: A.If, scope: Scope): void {
    const c = this.cond(s.test, scope);
    if (c.static !== undefined) {
      // A branch that can never run is not emitted (it may not even type-check: PyTorch does the same).
      this.block(c.static ? s.body : s.orelse, scope);
      return;
    }
    this.emitIf(c, scope, (sc) => this.block(s.body, sc), (sc) => this.block(s.orelse, sc));
  }

  /**
   * prim::If with an output for every variable a branch assigns that is defined after it, and,
   * when only some paths exit, first an output saying whether this path did (the exit flag).
   */
  private emitIf(c: Cond, scope: Scope, thenFn: (s: Scope) => void, elseFn: (s: Scope) => void): void {
    const n = this.node('prim::If', [c.v!], 0);
    const branches = [thenFn, elseFn].map((fn, i) => {
      const b = n.addBlock();
      const sc = new Scope(scope);
      this.g.withInsertPoint(b, () => {
        this.refine(sc, i === 0 ? c.onTrue : c.onFalse);
        fn(sc);
      });
      return { b, sc };
    });
    const [t, f] = branches;
    const exit = mergeExits(t.sc.exit, f.sc.exit);
    if (exit === 'might') {
      const flag = this.ifOutput(n, branches, BoolT, (br) => {
        if (br.sc.exit === 'might') return br.sc.exitFlag!;
        return br.sc.exit === 'throws' ? null : this.const(br.sc.exit === 'will');
      });
      scope.exitFlag = flag;
    }
    scope.exit = exit;
    const names = new Set([...t.sc.vars.keys(), ...f.sc.vars.keys()]);
    for (const name of names) {
      const isExitVar = EXIT_VARS.has(name);
      // A path that raised, or returned outside a loop, needs no value (only the return value).
      const get = (br: typeof t): Sugared | null | undefined => {
        if (br.sc.exit === 'throws') return null;
        if (br.sc.left && !scope.loop && !isExitVar && !br.sc.vars.has(name)) return null;
        return br.sc.lookup(name) ?? (isExitVar || br.sc.left ? null : undefined);
      };
      const tv = get(t), fv = get(f);
      if (tv === undefined || fv === undefined || (!tv && !fv)) continue;
      if ((tv && tv.kind !== 'value') || (fv && fv.kind !== 'value')) {
        if (tv && fv && tv.kind === fv.kind) scope.vars.set(name, tv);
        continue;
      }
      const vt = tv ? tv.v : null, vf = fv ? fv.v : null;
      const type = mergeTypes(vt, vf);
      if (!type) this.fail(`variable '${name}' is ${typeToPython(vt!.type)} in the true branch and ${typeToPython(vf!.type)} in the false branch`);
      const out = this.ifOutput(n, branches, type!, (br) => (br === t ? vt : vf));
      if (!isExitVar) out.setDebugName(name);
      scope.vars.set(name, { kind: 'value', v: out });
    }
  }

  /** Adds an output to `n`, yielding `value(branch)` from each branch (Uninitialized for null). */
  private ifOutput<B extends { b: Block }>(n: Node, branches: B[], type: JitType, value: (br: B) => Value | null): Value {
    for (const br of branches) {
      this.g.withInsertPoint(br.b, () => br.b.registerOutput(value(br) ?? this.uninitialized(type)));
    }
    return n.addOutput(type);
  }

  private uninitialized(type: JitType): Value {
    return this.node('prim::Uninitialized', [], 1).output().setType(type);
  }

  /**
   * Guards `rest` after a statement that exits on some paths (PyTorch's guardBlockNodes):
   * `prim::If(exited)` whose true block passes the exit on and whose false block runs `rest`.
   */
  private guard(rest: readonly A.Stmt[], scope: Scope): void {
    const flag = scope.exitFlag!;
    scope.exit = 'wont';
    scope.exitFlag = null;
    const none = new Map<string, JitType>();
    this.emitIf({ v: flag, onTrue: none, onFalse: none }, scope, (sc) => { sc.exit = 'will'; }, (sc) => this.block(rest, sc));
  }

  private returnStmt(s: A.Return, scope: Scope): void {
    let v = s.value ? this.value(s.value, scope) : this.const(null);
    const declared = this.fn.signature().returns;
    if (scope.loop) {
      // Leaves every enclosing loop: the loops carry the value and a flag out (PyTorch's transformLoop).
      if (declared?.kind === 'float' && v.type.kind === 'int') v = this.op('aten::Float', [v]);
      scope.vars.set(RETURNED_VAR, { kind: 'value', v: this.const(true) });
      scope.vars.set(COND_VAR, { kind: 'value', v: this.const(false) });
    }
    scope.vars.set(RETURN_VAR, { kind: 'value', v });
    scope.exit = 'will';
  }

  /** `break` makes the loop's next condition False; `continue` computes it now. */
  private loopExit(s: A.Break | A.Continue, scope: Scope): void {
    if (!scope.loop) this.fail(`'${s.kind}' outside a loop`, s.pos);
    const next = s.kind === 'break' ? this.const(false) : scope.loop!.nextCond(scope);
    scope.vars.set(COND_VAR, { kind: 'value', v: next });
    scope.exit = 'will';
  }

  private refine(sc: Scope, refinements: Map<string, JitType>): void {
    for (const [name, type] of refinements) {
      const cur = sc.lookup(name);
      if (!cur || cur.kind !== 'value') continue;
      const v = this.node('prim::unchecked_cast', [cur.v]).output().setType(type);
      sc.refined.set(name, v);
    }
  }

  /**
   * prim::Loop(trip, cond, carried...): `bindTargets` binds the loop variables from the counter
   * inside the body; `nextCond` computes the condition for the next iteration (True for `for`).
   * The body ends in an implicit `continue`, so every path through it sets the condition it
   * yields; a `return` inside leaves through the condition too, and the loop carries the return
   * value and a "returned" flag out, which the code after the loop is guarded by.
   */
  private emitLoop(trip: Value, cond: Value, body: readonly A.Stmt[], scope: Scope,
    bindTargets: (sc: Scope, i: Value) => void, nextCond: (sc: Scope) => Value, extraAssigned: string[] = []): void {
    const returns = containsReturn(body);
    if (returns) {
      if (!scope.lookup(RETURNED_VAR)) scope.vars.set(RETURNED_VAR, { kind: 'value', v: this.const(false) });
      if (!scope.lookup(RETURN_VAR)) scope.vars.set(RETURN_VAR, { kind: 'value', v: this.uninitialized(this.fn.signature().returns ?? PENDING) });
      extraAssigned = [...extraAssigned, RETURNED_VAR, RETURN_VAR];
    }
    const carried = [...assignedNames(body, new Set(extraAssigned))].filter((name) => scope.lookup(name)?.kind === 'value');
    const init = carried.map((name) => (scope.lookup(name) as { v: Value }).v);
    const n = this.node('prim::Loop', [trip, cond, ...init], 0);
    const b = n.addBlock();
    const sc = new Scope(scope, { nextCond });
    const counter = b.addInput('', IntT);
    carried.forEach((name, i) => {
      const v = b.addInput(EXIT_VARS.has(name) ? '' : name, init[i].type);
      sc.vars.set(name, { kind: 'value', v });
    });
    this.g.withInsertPoint(b, () => {
      bindTargets(sc, counter);
      this.block(structureExits([...body, { kind: 'continue', pos: this.pos }]), sc);
      const next = sc.lookup(COND_VAR);
      b.registerOutput(sc.exit === 'throws' || !next ? this.const(true) : this.asValue(next));
      carried.forEach((name, i) => {
        const v = this.asValue(sc.lookup(name)!);
        if (!isSubtypeOf(v.type, init[i].type)) {
          this.fail(`loop-carried variable '${name}' is ${typeToPython(init[i].type)} before the loop and ${typeToPython(v.type)} inside it`);
        }
        b.registerOutput(v);
      });
    });
    carried.forEach((name, i) => {
      const out = n.addOutput(init[i].type);
      if (!EXIT_VARS.has(name)) out.setDebugName(name);
      scope.vars.set(name, { kind: 'value', v: out });
    });
    if (returns) {
      scope.exit = 'might';
      scope.exitFlag = this.asValue(scope.lookup(RETURNED_VAR)!);
      // Inside an outer loop the return leaves that loop too.
      if (scope.loop) scope.vars.set(COND_VAR, { kind: 'value', v: this.const(false) });
    }
  }

  private whileStmt(s: A.While, scope: Scope): void {
    const c = this.cond(s.test, scope);
    if (c.static === false) return;
    const first = c.v ?? this.const(true);
    this.emitLoop(this.const(MAX_TRIP), first, s.body, scope, () => {}, (sc) => {
      const next = this.cond(s.test, sc);
      return next.v ?? this.const(next.static!);
    });
  }

  private forStmt(s: A.For, scope: Scope): void {
    const it = s.iter;
    const targetNames = [...assignedNames([{ kind: 'assign', targets: [s.target], value: it, pos: s.pos }])];
    const bind = (sc: Scope, v: Sugared) => this.assign(s.target, v, sc);
    const fnName = it.kind === 'call' && it.func.kind === 'name' && !scope.lookup(it.func.id) ? it.func.id : '';
    const always = () => this.const(true);
    if (fnName === 'range') {
      const args = (it as A.Call).args.map((a) => this.value(a, scope));
      if (args.length < 1 || args.length > 3) this.fail(`range expected 1 to 3 arguments, got ${args.length}`, it.pos);
      if (args.length === 1) {
        this.emitLoop(args[0], this.const(true), s.body, scope, (sc, i) => {
          if (s.target.kind === 'name' && !i.hasDebugName()) i.setDebugName(s.target.id);
          bind(sc, { kind: 'value', v: i });
        }, always, targetNames);
        return;
      }
      const [start, end] = args;
      const step = args[2] ?? this.const(1);
      const trip = this.op('aten::__range_length', [start, end, step]);
      this.emitLoop(trip, this.const(true), s.body, scope, (sc, i) => bind(sc, { kind: 'value', v: this.op('aten::__derive_index', [i, start, step]) }), always, targetNames);
      return;
    }
    if (fnName === 'enumerate' || fnName === 'zip') {
      const call = it as A.Call;
      const seqs = call.args.map((a) => this.value(a, scope));
      const start = fnName === 'enumerate' && seqs.length > 1 ? seqs.pop()! : null;
      const lens = seqs.map((x) => this.op('aten::len', [x]));
      const trip = lens.reduce((a, b) => this.op('prim::min', [a, b]));
      this.emitLoop(trip, this.const(true), s.body, scope, (sc, i) => {
        const elems = seqs.map((x) => this.elementAt(x, i));
        const tuple = fnName === 'enumerate' ? [start ? this.op('aten::add', [i, start]) : i, elems[0]] : elems;
        if (s.target.kind === 'tuple' || s.target.kind === 'list') {
          s.target.elts.forEach((t, k) => this.assign(t, { kind: 'value', v: tuple[k] }, sc));
        } else {
          bind(sc, { kind: 'value', v: this.node('prim::TupleConstruct', tuple).output().setType(tupleType(tuple.map((x) => x.type))) });
        }
      }, always, targetNames);
      return;
    }
    const seq = this.value(it, scope);
    const tuple = this.tupleOf(seq.type);
    if (tuple) {
      // Tuples are heterogeneous: the loop is unrolled, as PyTorch does (and, as there, without break/continue).
      if (containsLoopExit(s.body)) this.fail('break and continue are not supported in a loop over a tuple (it is unrolled)');
      const elems = this.unpack(seq, tuple.elems.length);
      for (const e of elems) {
        bind(scope, { kind: 'value', v: e });
        this.block(structureExits(s.body), scope);
      }
      return;
    }
    const items = seq.type.kind === 'Dict' ? this.op('aten::keys', [seq]) : seq;
    const trip = this.op('aten::len', [items]);
    this.emitLoop(trip, this.const(true), s.body, scope, (sc, i) => bind(sc, { kind: 'value', v: this.elementAt(items, i) }), always, targetNames);
  }

  private elementAt(seq: Value, i: Value): Value {
    if (seq.type.kind === 'Tensor') return this.op('aten::select', [seq, this.const(0), i]);
    if (seq.type.kind === 'str') return this.op('aten::__getitem__', [seq, i]);
    if (seq.type.kind !== 'List') this.fail(`'${typeToPython(seq.type)}' object is not iterable`);
    return this.op('aten::__getitem__', [seq, i]);
  }

  // ------------------------------------------------------------------ conditions

  private cond(e: A.Expr, scope: Scope): Cond {
    const none = () => ({ onTrue: new Map<string, JitType>(), onFalse: new Map<string, JitType>() });
    if (e.kind === 'unary' && e.op === 'not') {
      const c = this.cond(e.operand, scope);
      if (c.static !== undefined) return { static: !c.static, ...none() };
      return { v: this.op('aten::__not__', [c.v!]), onTrue: c.onFalse, onFalse: c.onTrue };
    }
    if (e.kind === 'boolop') return this.boolOp(e, scope);
    if (e.kind === 'compare' && e.ops.length === 1 && (e.ops[0] === 'is' || e.ops[0] === 'is not')) {
      const isNot = e.ops[0] === 'is not';
      const [l, r] = [e.left, e.comparators[0]];
      const other = r.kind === 'none' ? l : l.kind === 'none' ? r : null;
      if (other) {
        const v = this.value(other, scope);
        const name = other.kind === 'name' ? other.id : null;
        if (v.type.kind === 'NoneType') return { static: !isNot, ...none() };
        if (v.type.kind !== 'Optional' && v.type.kind !== 'Any') return { static: isNot, ...none() };
        const c = none();
        if (name && v.type.kind === 'Optional') (isNot ? c.onTrue : c.onFalse).set(name, v.type.elem);
        return { v: this.op(isNot ? 'aten::__isnot__' : 'aten::__is__', [v, this.const(null)]), ...c };
      }
    }
    if (e.kind === 'call' && e.func.kind === 'name' && e.func.id === 'isinstance' && !scope.lookup('isinstance')) {
      const v = this.value(e.args[0], scope);
      const ok = this.isinstanceStatic(v.type, e.args[1]);
      if (ok !== null) return { static: ok, ...none() };
      const c = none();
      if (e.args[0].kind === 'name' && v.type.kind === 'Optional') c.onTrue.set(e.args[0].id, v.type.elem);
      const n = this.node('prim::isinstance', [v]);
      n.setAttr('types', { kind: 'tys', value: this.isinstanceTypes(e.args[1]) });
      return { v: n.output().setType(BoolT), ...c };
    }
    const v = this.value(e, scope);
    const k = constantValue(v);
    if (v.type.kind === 'bool' && typeof k === 'boolean' && v.node().kind === 'prim::Constant' && isStaticExpr(e)) return { static: k, ...none() };
    return { v: this.toBool(v), ...none() };
  }

  private toBool(v: Value): Value {
    if (v.type.kind === 'bool') return v;
    if (v.type.kind === 'Tensor' || v.type.kind === 'int' || v.type.kind === 'float') return this.op('aten::Bool', [v]);
    if (v.type.kind === 'List' || v.type.kind === 'str' || v.type.kind === 'Dict') return this.op('aten::gt', [this.op('aten::len', [v]), this.const(0)]);
    if (v.type.kind === 'Optional' || v.type.kind === 'NoneType') return this.op('aten::__isnot__', [v, this.const(null)]);
    return this.fail(`cannot use a value of type ${typeToPython(v.type)} as a condition`);
  }

  private boolOp(e: A.BoolExpr, scope: Scope): Cond {
    const isAnd = e.op === 'and';
    const a = this.cond(e.left, scope);
    if (a.static !== undefined && a.static !== isAnd) return a; // False and _ / True or _
    const withRefined = (sc: Scope) => this.cond(e.right, sc);
    if (a.static !== undefined) return this.cond(e.right, scope);
    // Short-circuit: the right side runs only when needed, inside a prim::If.
    const n = this.node('prim::If', [a.v!], 1);
    n.output().setType(BoolT);
    let b: Cond | null = null;
    const [tb, fb] = [n.addBlock(), n.addBlock()];
    this.g.withInsertPoint(isAnd ? tb : fb, () => {
      const sc = new Scope(scope);
      this.refine(sc, isAnd ? a.onTrue : a.onFalse);
      b = withRefined(sc);
      (isAnd ? tb : fb).registerOutput(b.v ?? this.const(b.static!));
    });
    this.g.withInsertPoint(isAnd ? fb : tb, () => (isAnd ? fb : tb).registerOutput(this.const(!isAnd)));
    const bb = b as unknown as Cond;
    const merge = (x: Map<string, JitType>, y: Map<string, JitType>) => new Map([...x, ...y]);
    return isAnd ? { v: n.output(), onTrue: merge(a.onTrue, bb.onTrue), onFalse: new Map() }
      : { v: n.output(), onTrue: new Map(), onFalse: merge(a.onFalse, bb.onFalse) };
  }

  private isinstanceTypes(e: A.Expr): JitType[] {
    const BARE: Record<string, JitType> = { list: listType(AnyT), tuple: tupleType([]), dict: dictType(StrT, AnyT) };
    const one = (x: A.Expr) => (x.kind === 'name' && Object.hasOwn(BARE, x.id) ? BARE[x.id] : this.typeOf(x));
    return e.kind === 'tuple' ? e.elts.map(one) : [one(e)];
  }

  /** isinstance decided from static types when possible (PyTorch folds it the same way). */
  private isinstanceStatic(t: JitType, e: A.Expr): boolean | null {
    const names = (e.kind === 'tuple' ? e.elts : [e]).map((x) => (x.kind === 'name' ? x.id : ''));
    const KINDS: Record<string, string> = { list: 'List', tuple: 'Tuple', dict: 'Dict' };
    if (names.every((n) => n in KINDS)) return t.kind === 'Optional' || t.kind === 'Any' ? null : names.some((n) => KINDS[n] === t.kind);
    const types = this.isinstanceTypes(e);
    if (types.some((x) => isSubtypeOf(t, x))) return true;
    if (t.kind === 'Optional' || t.kind === 'Any') return null;
    return false;
  }

  // ------------------------------------------------------------------ expressions

  value(e: A.Expr, scope: Scope, hint?: JitType): Value {
    return this.asValue(this.expr(e, scope, hint), e.pos);
  }

  private valueWithType(e: A.Expr, type: JitType, scope: Scope): Value {
    if (e.kind === 'none') return this.const(null, type.kind === 'Optional' ? type : NoneT);
    let v = this.value(e, scope, type);
    // Implicit Tensor -> int/float, as schema matching allows (annotate(int, t) in saved code).
    if (v.type.kind === 'Tensor' && (type.kind === 'int' || type.kind === 'float')) v = this.op(type.kind === 'int' ? 'aten::IntImplicit' : 'aten::FloatImplicit', [v]);
    if ((v.node().kind === 'prim::ListConstruct' || v.node().kind === 'prim::DictConstruct') && v.node().inputs.length === 0) v.setType(type);
    // An op we could not resolve has no known type: trust the annotation.
    if (UNRESOLVED.has(v.node())) v.setType(type);
    if (!isSubtypeOf(v.type, type) && !(v.type.kind === 'int' && type.kind === 'float')) {
      this.fail(`expected a value of type ${typeToPython(type)}, found ${typeToPython(v.type)}`, e.pos);
    }
    return v;
  }

  private expr(e: A.Expr, scope: Scope, hint?: JitType): Sugared {
    const saved = this.pos;
    this.pos = e.pos;
    try {
      return this.exprAt(e, scope, hint);
    } finally {
      this.pos = saved;
    }
  }

  private exprAt(e: A.Expr, scope: Scope, hint?: JitType): Sugared {
    const val = (v: Value): Sugared => ({ kind: 'value', v });
    switch (e.kind) {
      case 'name': return this.name(e, scope);
      case 'int': return val(this.const(Number.isSafeInteger(Number(e.value)) ? Number(e.value) : e.value, IntT));
      case 'float': return val(this.const(e.value, FloatT));
      case 'str': return val(this.const(e.value, StrT));
      case 'bool': return val(this.const(e.value, BoolT));
      case 'none': return val(this.const(null, hint?.kind === 'Optional' ? hint : undefined));
      case 'attribute': return this.attribute(this.expr(e.value, scope), e.attr, e.pos);
      case 'call': return this.call(e, scope, hint);
      case 'subscript': return val(this.subscript(e, scope));
      case 'tuple': {
        const vs = e.elts.map((x, i) => this.value(x, scope, hint?.kind === 'Tuple' ? hint.elems[i] : undefined));
        return val(this.node('prim::TupleConstruct', vs).output().setType(tupleType(vs.map((v) => v.type))));
      }
      case 'list': return val(this.listLiteral(e, scope, hint));
      case 'dict': return val(this.dictLiteral(e, scope, hint));
      case 'listcomp': return val(this.listComp(e, scope));
      case 'unary': return val(this.unary(e, scope));
      case 'binary': return val(this.binary(e.op, this.value(e.left, scope), this.value(e.right, scope)));
      case 'boolop': case 'compare': {
        if (e.kind === 'compare' && (e.ops.length > 1 || !e.ops[0].startsWith('is'))) return val(this.compare(e, scope));
        const c = this.cond(e, scope);
        return val(c.v ?? this.const(c.static!));
      }
      case 'ifexp': return val(this.ifExp(e, scope));
      default: return this.fail(`unsupported expression '${e.kind}'`);
    }
  }

  private name(e: A.Name, scope: Scope): Sugared {
    const local = scope.lookup(e.id);
    if (local) return local;
    switch (e.id) {
      case 'torch': case 'ops': case 'math': case 'CONSTANTS': case '__torch__': return { kind: 'ns', path: e.id };
      case 'inf': return { kind: 'value', v: this.const(Infinity, FloatT) };
      case 'nan': return { kind: 'value', v: this.const(NaN, FloatT) };
      case 'self': break;
    }
    if (SPECIALS.has(e.id)) return { kind: 'special', name: e.id };
    const unit = this.fn.unit;
    const prefix = this.fn.qualname.slice(0, this.fn.qualname.lastIndexOf('.'));
    const modulePrefix = this.fn.owner ? prefix.slice(0, prefix.lastIndexOf('.')) : prefix;
    const fn = unit.getFunction(`${modulePrefix}.${e.id}`) ?? unit.lookupFunction(e.id);
    if (fn) return { kind: 'function', fn };
    const cls = unit.getClass(`${modulePrefix}.${e.id}`) ?? unit.lookupClass(e.id);
    if (cls) return { kind: 'class', cls };
    return this.fail(`undefined value ${e.id}`, e.pos);
  }

  private attribute(base: Sugared, attr: string, pos: A.Pos): Sugared {
    const val = (v: Value): Sugared => ({ kind: 'value', v });
    if (base.kind === 'ns') return this.nsAttribute(base.path, attr, pos);
    if (base.kind === 'class') {
      const c = base.cls.constants.get(attr);
      if (c) return val(this.const(c.value, c.type));
      return this.fail(`class '${base.cls.qualname}' has no attribute '${attr}'`, pos);
    }
    const v = this.asValue(base, pos);
    const t = v.type;
    const cls = this.classOf(t);
    if (cls) {
      if (cls.base === 'NamedTuple' && cls.fields.includes(attr)) return val(this.tupleIndex(v, cls.fields.indexOf(attr)));
      const at = cls.attributes.get(attr);
      if (at) {
        const n = this.node('prim::GetAttr', [v]);
        n.setAttr('name', { kind: 's', value: attr });
        return val(n.output().setType(at));
      }
      const c = cls.constants.get(attr);
      if (c) return val(this.const(c.value, c.type));
      const m = cls.method(attr);
      if (m) return { kind: 'method', self: v, fn: m };
      return this.fail(`'${cls.qualname}' object has no attribute or method '${attr}'`, pos);
    }
    if (t.kind === 'Tensor') {
      switch (attr) {
        case 'shape': return val(this.op('aten::size', [v]));
        case 'dtype': return val(this.op('prim::dtype', [v]));
        case 'device': return val(this.op('prim::device', [v]));
        case 'is_cuda': return val(this.op('prim::is_cuda', [v]));
        case 'requires_grad': return val(this.op('prim::requires_grad', [v]));
        case 'ndim': return val(this.op('aten::dim', [v]));
        case 'data': return val(this.op('prim::data', [v]));
        case 'T': return val(this.op('aten::numpy_T', [v]));
      }
    }
    return { kind: 'builtin', op: `aten::${attr}`, self: v };
  }

  private nsAttribute(path: string, attr: string, pos: A.Pos): Sugared {
    const val = (v: Value): Sugared => ({ kind: 'value', v });
    switch (path) {
      case 'torch':
        if (Object.hasOwn(DTYPE_CONSTANTS, attr)) return val(this.const(DTYPE_CONSTANTS[attr], IntT));
        if (attr === 'jit' || attr === 'ops' || attr === 'nn' || attr === 'autograd') return { kind: 'ns', path: attr === 'ops' ? 'ops' : `torch.${attr}` };
        return { kind: 'builtin', op: `aten::${attr}` };
      case 'ops': return { kind: 'ns', path: `ops.${attr}` };
      case 'math':
        if (attr === 'pi') return val(this.const(Math.PI, FloatT));
        if (attr === 'e') return val(this.const(Math.E, FloatT));
        if (attr === 'inf') return val(this.const(Infinity, FloatT));
        if (attr === 'nan') return val(this.const(NaN, FloatT));
        return { kind: 'builtin', op: `aten::${attr}` };
      case 'CONSTANTS': {
        const m = /^c(\d+)$/.exec(attr);
        const table = this.fn.unit.constants;
        if (!m || Number(m[1]) >= table.length) return this.fail(`CONSTANTS.${attr} is not in the archive's constant table`, pos);
        return val(this.const(table[Number(m[1])]));
      }
      case 'torch.jit':
        if (attr === 'annotate') return { kind: 'special', name: 'annotate' };
        if (attr === 'is_scripting') return { kind: 'builtin', op: 'aten::is_scripting' };
        break;
    }
    if (path.startsWith('ops.')) return { kind: 'builtin', op: `${path.slice(4)}::${attr}` };
    if (path.startsWith('__torch__')) {
      const qn = `${path}.${attr}`;
      const cls = this.fn.unit.getClass(qn);
      if (cls) return { kind: 'class', cls };
      const fn = this.fn.unit.getFunction(qn);
      if (fn) return { kind: 'function', fn };
      return { kind: 'ns', path: qn };
    }
    return this.fail(`unknown attribute '${attr}' of module '${path}'`, pos);
  }

  // ---- calls

  private call(e: A.Call, scope: Scope, hint?: JitType): Sugared {
    if (e.func.kind === 'attribute' && e.func.attr === '__new__') {
      // `C.__new__(C)`: a fresh object; saved code calls its __init__ next.
      const base = this.expr(e.func.value, scope);
      if (base.kind !== 'class') this.fail('__new__ needs a class', e.pos);
      return { kind: 'value', v: this.node('prim::CreateObject', []).output().setType((base as { cls: ClassInfo }).cls.type) };
    }
    const callee = this.expr(e.func, scope);
    if (callee.kind === 'special') return this.special(callee.name, e, scope, hint);
    const args = e.args.map((a) => {
      if (a.kind === 'starred') this.fail('*args are not supported', a.pos);
      return this.value(a, scope);
    });
    const kwargs = new Map(e.keywords.map((k) => [k.name, this.value(k.value, scope)] as const));
    const val = (v: Value): Sugared => ({ kind: 'value', v });
    switch (callee.kind) {
      case 'builtin': {
        const all = callee.self ? [callee.self, ...args] : args;
        if (callee.op === 'prim::RaiseException') {
          this.node('prim::RaiseException', all.length > 1 ? all : [...all, this.const(null)], 0);
          return val(this.const(null));
        }
        if (callee.op === 'aten::tolist' && callee.self) {
          // The element type comes from the surrounding annotate(), as in PyTorch.
          return val(this.node('prim::tolist', [callee.self]).output().setType(hint ?? listType(FloatT)));
        }
        if (callee.op === 'prim::Print') {
          this.node('prim::Print', all, 0);
          return val(this.const(null));
        }
        return val(this.op(callee.op, all, kwargs));
      }
      case 'method': return val(this.scriptCall(callee.fn, callee.self, args, kwargs));
      case 'function': return val(this.scriptCall(callee.fn, null, args, kwargs));
      case 'class': return val(this.construct(callee.cls, args, kwargs));
      default: return this.fail('this value is not callable', e.pos);
    }
  }

  private scriptCall(fn: ScriptFunction, self: Value | null, args: Value[], kwargs: Map<string, Value>): Value {
    const params = fn.signature().params.slice(self || fn.owner ? 1 : 0);
    if (args.length > params.length) this.fail(`${fn.qualname}() takes ${params.length} arguments but ${args.length} were given`);
    const inputs = params.map((p, i) => {
      let v = i < args.length ? args[i] : kwargs.get(p.name);
      if (v === undefined) {
        if (!p.default) this.fail(`${fn.qualname}() is missing argument '${p.name}'`);
        v = this.valueWithType(p.default, p.type, new Scope(null));
      }
      if (v.type.kind === 'int' && p.type.kind === 'float') return v;
      if (!isSubtypeOf(v.type, p.type) && !(v.type.kind === 'NoneType' && p.type.kind === 'Optional')) {
        this.fail(`${fn.qualname}(): argument '${p.name}' expects ${typeToPython(p.type)}, got ${typeToPython(v.type)}`);
      }
      return v;
    });
    const ret = fn.returnType();
    const n = self ? this.node('prim::CallMethod', [self, ...inputs]) : this.node('prim::CallFunction', inputs);
    n.setAttr('name', { kind: 's', value: self ? fn.name : fn.qualname });
    return n.output().setType(ret);
  }

  private construct(cls: ClassInfo, args: Value[], kwargs: Map<string, Value>): Value {
    if (cls.base === 'NamedTuple') {
      const vs = cls.fields.map((f, i) => args[i] ?? kwargs.get(f) ?? this.fail(`${cls.name}() is missing field '${f}'`));
      // The value is a tuple typed by its class, which names its fields (PyTorch's named TupleType).
      return this.node('prim::TupleConstruct', vs).output().setType(cls.type);
    }
    const obj = this.node('prim::CreateObject', []).output().setType(cls.type);
    const init = cls.method('__init__');
    if (init) this.scriptCall(init, obj, args, kwargs);
    return obj;
  }

  private special(name: string, e: A.Call, scope: Scope, hint?: JitType): Sugared {
    const val = (v: Value): Sugared => ({ kind: 'value', v });
    const arg = (i: number, h?: JitType) => this.value(e.args[i] ?? this.fail(`${name}() is missing an argument`, e.pos), scope, h);
    switch (name) {
      case 'annotate': case 'unchecked_cast': {
        const type = this.typeOf(e.args[0]);
        if (name === 'annotate') return val(this.valueWithType(e.args[1], type, scope));
        const v = arg(1, type);
        return val(this.node('prim::unchecked_cast', [v]).output().setType(type));
      }
      case 'uninitialized': return val(this.node('prim::Uninitialized', []).output().setType(this.typeOf(e.args[0])));
      case 'isinstance': {
        const c = this.cond(e, scope);
        return val(c.v ?? this.const(c.static!));
      }
      case 'len': return val(this.op('aten::len', [arg(0)]));
      case 'int': case 'float': case 'bool': case 'str': {
        if (!e.args.length) return val(this.const(name === 'str' ? '' : name === 'bool' ? false : 0, { int: IntT, float: FloatT, bool: BoolT, str: StrT }[name]));
        const v = arg(0);
        if (v.type.kind === name) return val(v);
        if (name === 'bool') return val(this.toBool(v));
        return val(this.op(`aten::${name === 'str' ? 'str' : name === 'int' ? 'Int' : 'Float'}`, [v]));
      }
      case 'min': case 'max': {
        const vs = e.args.map((a) => this.value(a, scope));
        if (vs.length === 1) return val(this.op(`prim::${name}`, vs));
        if (vs.some((v) => v.type.kind === 'Tensor')) return val(this.op(`aten::${name === 'min' ? 'minimum' : 'maximum'}`, vs));
        return val(vs.reduce((a, b) => this.op(`prim::${name}`, [a, b])));
      }
      case 'abs': {
        const v = arg(0);
        return val(this.op(v.type.kind === 'Tensor' ? 'aten::abs' : 'prim::abs', [v]));
      }
      case 'getattr': {
        const k = constantValue(arg(1));
        if (typeof k !== 'string') this.fail('getattr() needs a constant attribute name', e.pos);
        return this.attribute(this.expr(e.args[0], scope), k as string, e.pos);
      }
      case 'hasattr': {
        const v = arg(0);
        const k = constantValue(arg(1));
        const cls = this.classOf(v.type);
        const has = !!cls && typeof k === 'string' && (cls.attributes.has(k) || cls.constants.has(k) || cls.methods.has(k));
        return val(this.const(has, BoolT));
      }
      case 'print': {
        this.node('prim::Print', e.args.map((a) => this.value(a, scope)), 0);
        return val(this.const(null));
      }
      case 'list': return val(e.args.length ? this.op('aten::list', [arg(0)]) : this.listLiteral({ kind: 'list', elts: [], pos: e.pos }, scope, hint));
      case 'tuple': {
        const v = arg(0);
        return val(v);
      }
      case 'sum': case 'any': case 'all': case 'round': case 'sorted': case 'divmod':
        return val(this.op(`aten::${name}`, e.args.map((a) => this.value(a, scope))));
      case 'range': case 'zip': case 'enumerate':
        return this.fail(`${name}() is only supported as the iterable of a for loop`, e.pos);
    }
    return this.fail(`unsupported builtin '${name}'`, e.pos);
  }

  // ---- literals and operators

  private listLiteral(e: A.ListExpr, scope: Scope, hint?: JitType): Value {
    const elemHint = hint?.kind === 'List' ? hint.elem : hint?.kind === 'Optional' && hint.elem.kind === 'List' ? hint.elem.elem : undefined;
    const vs = e.elts.map((x) => this.value(x, scope, elemHint));
    let elem: JitType | null = elemHint ?? (vs.length ? vs[0].type : TensorT);
    if (!elemHint) for (const v of vs) elem = elem && unify(elem, v.type);
    if (!elem) this.fail('list elements have different types; annotate the list', e.pos);
    return this.node('prim::ListConstruct', vs).output().setType(listType(elem!));
  }

  private dictLiteral(e: A.DictExpr, scope: Scope, hint?: JitType): Value {
    const ins: Value[] = [];
    for (const { key, value } of e.entries) ins.push(this.value(key, scope), this.value(value, scope));
    const t = hint?.kind === 'Dict' ? hint : ins.length ? dictType(ins[0].type, ins[1].type) : dictType(StrT, TensorT);
    return this.node('prim::DictConstruct', ins).output().setType(t);
  }

  private listComp(e: A.ListComp, scope: Scope): Value {
    const list = this.node('prim::ListConstruct', []).output().setType(listType(AnyT));
    let elem: JitType = AnyT;
    const acc = '$listcomp';
    const inner = new Scope(scope);
    inner.vars.set(acc, { kind: 'value', v: list });
    // The body appends to the list, which is mutated in place (not loop-carried).
    const body: A.Stmt[] = [{ kind: 'expr', value: { kind: 'call', func: { kind: 'name', id: '$append', pos: e.pos }, args: [e.elt], keywords: [], pos: e.pos }, pos: e.pos }];
    inner.vars.set('$append', { kind: 'builtin', op: 'aten::append', self: list });
    this.forStmt({ kind: 'for', target: e.target, iter: e.iter, body, pos: e.pos }, inner);
    const appendNode = list.uses.find((u) => u.user.kind === 'aten::append');
    if (appendNode) elem = appendNode.user.inputs[1].type;
    list.setType(listType(elem));
    if (appendNode) appendNode.user.output().setType(listType(elem));
    return list;
  }

  private unary(e: A.Unary, scope: Scope): Value {
    if (e.op === 'not') {
      const c = this.cond(e, scope);
      return c.v ?? this.const(c.static!);
    }
    if (e.op === '-' && (e.operand.kind === 'int' || e.operand.kind === 'float')) {
      return this.const(-Number(e.operand.value), e.operand.kind === 'int' ? IntT : FloatT);
    }
    const v = this.value(e.operand, scope);
    if (e.op === '+') return v;
    if (e.op === '~') return this.op(v.type.kind === 'Tensor' ? 'aten::bitwise_not' : 'aten::__invert__', [v]);
    return this.op('aten::neg', [v]);
  }

  binary(op: A.BinaryOp, a: Value, b: Value): Value {
    let name = BINARY_OPS[op];
    const tensorA = a.type.kind === 'Tensor', tensorB = b.type.kind === 'Tensor';
    if (tensorA || tensorB) {
      if (op === '//') name = 'floor_divide';
      if (op === '&') name = 'bitwise_and';
      if (op === '|') name = 'bitwise_or';
      if (op === '^') name = 'bitwise_xor';
      if (!tensorA) {
        // number (op) tensor: commutative ops swap; others lift the number to a 0-dim tensor.
        if (op === '+' || op === '*') return this.op(`aten::${name}`, [b, a]);
        if (op === '-') return this.op('aten::rsub', [b, a]);
        a = this.op('prim::NumToTensor', [a]);
      }
    }
    return this.op(`aten::${name}`, [a, b]);
  }

  private compare(e: A.Compare, scope: Scope): Value {
    let left = this.value(e.left, scope);
    let result: Value | null = null;
    e.ops.forEach((op, i) => {
      const right = this.value(e.comparators[i], scope);
      let r: Value;
      if (op === 'in' || op === 'not in') {
        r = this.op('aten::__contains__', [right, left]);
        if (op === 'not in') r = this.op('aten::__not__', [r]);
      } else if (op === 'is' || op === 'is not') {
        r = this.op(op === 'is' ? 'aten::__is__' : 'aten::__isnot__', [left, right]);
      } else {
        if (left.type.kind !== 'Tensor' && right.type.kind === 'Tensor') {
          const flip: Record<string, string> = { '<': 'gt', '<=': 'ge', '>': 'lt', '>=': 'le', '==': 'eq', '!=': 'ne' };
          r = this.op(`aten::${flip[op]}`, [right, left]);
        } else r = this.op(`aten::${COMPARE_OPS[op]}`, [left, right]);
      }
      result = result ? this.op('aten::__and__', [result, r]) : r;
      left = right;
    });
    return result!;
  }

  private ifExp(e: A.IfExp, scope: Scope): Value {
    const c = this.cond(e.test, scope);
    if (c.static !== undefined) return this.value(c.static ? e.body : e.orelse, scope);
    const tmp = '$ifexp';
    const sc = new Scope(scope);
    this.emitIf(c, sc, (s) => s.vars.set(tmp, { kind: 'value', v: this.value(e.body, s) }), (s) => s.vars.set(tmp, { kind: 'value', v: this.value(e.orelse, s) }));
    const out = sc.vars.get(tmp);
    if (!out) this.fail('the branches of a conditional expression have different types', e.pos);
    return this.asValue(out!);
  }

  // ---- subscripts

  private subscript(e: A.Subscript, scope: Scope): Value {
    const base = this.value(e.value, scope);
    const t = base.type;
    if (t.kind === 'Tensor') return this.tensorIndex(base, e.indices, scope);
    if (e.indices.length !== 1) this.fail(`a ${typeToPython(t)} takes one index`, e.pos);
    const idx = e.indices[0];
    const tuple = this.tupleOf(t);
    if (tuple) {
      if (idx.kind === 'slice') {
        const k = (x?: A.Expr) => (x ? Number(constantValue(this.value(x, scope))) : undefined);
        const items = tuple.elems.map((_, i) => i).slice(k(idx.lower), k(idx.upper));
        const vs = items.map((i) => this.tupleIndex(base, i));
        return this.node('prim::TupleConstruct', vs).output().setType(tupleType(vs.map((v) => v.type)));
      }
      const iv = this.value(idx, scope);
      const k = constantValue(iv);
      if (typeof k === 'number' || typeof k === 'bigint') return this.tupleIndex(base, Number(k));
      const n = this.node('prim::TupleIndex', [base, iv]);
      return n.output().setType(tuple.elems.reduce((a: JitType | null, b) => a && unify(a, b), tuple.elems[0]) ?? AnyT);
    }
    if (idx.kind === 'slice') {
      const bound = (x?: A.Expr) => (x ? this.value(x, scope) : this.const(null, optionalType(IntT)));
      return this.op('aten::slice', [base, bound(idx.lower), bound(idx.upper), idx.step ? this.value(idx.step, scope) : this.const(1)]);
    }
    return this.op('aten::__getitem__', [base, this.value(idx, scope)]);
  }

  private tupleIndex(tuple: Value, i: number): Value {
    const t = this.tupleOf(tuple.type)!;
    const k = i < 0 ? i + t.elems.length : i;
    if (k < 0 || k >= t.elems.length) this.fail(`tuple index ${i} out of range`);
    const n = this.node('prim::TupleIndex', [tuple, this.const(k)]);
    return n.output().setType(t.elems[k]);
  }

  /** `x[:, None, 1:3, idx]` -> aten::slice / unsqueeze / select, then aten::index for tensors. */
  private tensorIndex(x: Value, indices: readonly A.Expr[], scope: Scope): Value {
    let out = x;
    let dim = 0;
    const consuming = indices.filter((i) => i.kind !== 'none' && i.kind !== 'ellipsis').length;
    const advanced: (Value | null)[] = [];
    let seenEllipsis = false;
    indices.forEach((idx, k) => {
      if (idx.kind === 'ellipsis') {
        // Dims after an ellipsis count from the end.
        const after = indices.slice(k + 1).filter((i) => i.kind !== 'none' && i.kind !== 'ellipsis').length;
        dim = -after;
        seenEllipsis = true;
        return;
      }
      const d = () => this.const(dim);
      if (idx.kind === 'slice') {
        const bound = (b?: A.Expr) => (b ? this.value(b, scope) : this.const(null, optionalType(IntT)));
        const isFull = !idx.lower && !idx.upper && !idx.step;
        if (!isFull) out = this.op('aten::slice', [out, d(), bound(idx.lower), bound(idx.upper), idx.step ? this.value(idx.step, scope) : this.const(1)]);
        advanced.push(null);
        dim++;
        return;
      }
      if (idx.kind === 'none') {
        out = this.op('aten::unsqueeze', [out, d()]);
        advanced.push(null);
        dim++;
        return;
      }
      const v = this.value(idx, scope);
      if (v.type.kind === 'int') {
        out = this.op('aten::select', [out, d(), v]);
        if (seenEllipsis) dim++;
        return;
      }
      const tv = v.type.kind === 'Tensor' ? v : this.op('aten::tensor', [v]);
      while (advanced.length < (seenEllipsis ? 0 : dim)) advanced.push(null);
      advanced.push(tv);
      dim++;
    });
    void consuming;
    if (advanced.some((a) => a !== null)) {
      const last = advanced.map((a) => a !== null).lastIndexOf(true);
      const items = advanced.slice(0, last + 1).map((a) => a ?? this.const(null, optionalType(TensorT)));
      const list = this.node('prim::ListConstruct', items).output().setType(listType(optionalType(TensorT)));
      out = this.op('aten::index', [out, list]);
    }
    return out;
  }
}

/** The type of a loop-carried return value before the body's return statements are seen. */
const PENDING: JitType = { kind: 'Any' };

/** How an `if` ends given how its branches end (PyTorch's calcIfExitStatus). */
function mergeExits(a: ExitStatus, b: ExitStatus): ExitStatus {
  if (a === 'throws') return b;
  if (b === 'throws') return a;
  return a === b ? a : 'might';
}

/** The type of an If output from its branch values (null: that branch yields Uninitialized). */
function mergeTypes(a: Value | null, b: Value | null): JitType | null {
  if (!a || a.type === PENDING) return b ? b.type : a!.type;
  if (!b || b.type === PENDING) return a.type;
  return unify(a.type, b.type);
}

/** Gives values still typed PENDING the function's return type, once it is known. */
function settlePending(b: Block, type: JitType): void {
  for (const v of b.inputs) if (v.type === PENDING) v.setType(type);
  for (const n of b.nodes()) {
    for (const o of n.outputs) if (o.type === PENDING) o.setType(type);
    n.blocks.forEach((x) => settlePending(x, type));
  }
}

/** Literal True/False (not a computed constant), so `if True:` folds but `if x:` never does. */
function isStaticExpr(e: A.Expr): boolean {
  return e.kind === 'bool';
}

export { Block };
