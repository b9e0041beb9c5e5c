// Control flow: `if` becomes prim::If with one output per variable either branch assigns; loops
// become prim::Loop(max_trip_count, cond, carried...) whose body takes (i, carried...) and yields
// (cond, carried...). Exits follow PyTorch's exit_transforms.cpp: `break`/`continue` set the yielded
// condition, `return` in a loop leaves through it and the loop carries the value and a flag out;
// code after a statement that exits on only some paths is guarded by that flag.
import { PENDING, settlePending } from '../pending-type.js';
import type * as A from '../frontend/ast.js';
import { MAX_TRIP_COUNT, type Block, type Node, type Value } from '../ir.js';
import { BoolT, IntT, isSubtypeOf, tupleType, typeToPython, unify, type JitType } from '../types.js';
import {
  COND_VAR, EXIT_VARS, RETURNED_VAR, RETURN_VAR, Scope, assignedNames, containsLoopExit, containsReturn,
  structureExits, type ExitStatus, type Sugared,
} from './scope.js';
import type { Cond } from './emit-core.js';
import { CallEmitter } from './emit-calls.js';

export abstract class ControlEmitter extends CallEmitter {
  protected abstract stmt(s: A.Stmt, scope: Scope): void;

  protected block(stmts: readonly A.Stmt[], scope: Scope): void {
    for (let i = 0; i < stmts.length; i++) {
      if (scope.left) return;
      if (scope.exit === 'might') return this.guard(stmts.slice(i), scope);
      this.pos = stmts[i].pos;
      this.stmt(stmts[i], scope);
    }
  }

  protected ifStmt(s: A.If, scope: Scope): void {
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
  protected emitIf(c: Cond, scope: Scope, thenFn: (s: Scope) => void, elseFn: (s: Scope) => void): void {
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
  protected ifOutput<B extends { b: Block }>(n: Node, branches: B[], type: JitType, value: (br: B) => Value | null): Value {
    for (const br of branches) {
      this.g.withInsertPoint(br.b, () => br.b.registerOutput(value(br) ?? this.uninitialized(type)));
    }
    return n.addOutput(type);
  }

  /**
   * Guards `rest` after a statement that exits on some paths (PyTorch's guardBlockNodes):
   * `prim::If(exited)` whose true block passes the exit on and whose false block runs `rest`.
   */
  protected guard(rest: readonly A.Stmt[], scope: Scope): void {
    const flag = scope.exitFlag!;
    scope.exit = 'wont';
    scope.exitFlag = null;
    const none = new Map<string, JitType>();
    this.emitIf({ v: flag, onTrue: none, onFalse: none }, scope, (sc) => { sc.exit = 'will'; }, (sc) => this.block(rest, sc));
  }

  protected returnStmt(s: A.Return, scope: Scope): void {
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
  protected loopExit(s: A.Break | A.Continue, scope: Scope): void {
    if (!scope.loop) this.fail(`'${s.kind}' outside a loop`, s.pos);
    const next = s.kind === 'break' ? this.const(false) : scope.loop!.nextCond(scope);
    scope.vars.set(COND_VAR, { kind: 'value', v: next });
    scope.exit = 'will';
  }

  /**
   * prim::Loop(trip, cond, carried...): `bindTargets` binds the loop variables from the counter
   * inside the body; `nextCond` computes the condition for the next iteration (True for `for`).
   * The body ends in an implicit `continue`, so every path through it sets the condition it
   * yields; a `return` inside leaves through the condition too, and the loop carries the return
   * value and a "returned" flag out, which the code after the loop is guarded by.
   */
  protected emitLoop(trip: Value, cond: Value, body: readonly A.Stmt[], scope: Scope,
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

  protected whileStmt(s: A.While, scope: Scope): void {
    const c = this.cond(s.test, scope);
    if (c.static === false) return;
    const first = c.v ?? this.const(true);
    this.emitLoop(this.const(MAX_TRIP_COUNT), first, s.body, scope, () => {}, (sc) => {
      const next = this.cond(s.test, sc);
      return next.v ?? this.const(next.static!);
    });
  }

  protected forStmt(s: A.For, scope: Scope): void {
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

  protected elementAt(seq: Value, i: Value): Value {
    if (seq.type.kind === 'Tensor') return this.op('aten::select', [seq, this.const(0), i]);
    if (seq.type.kind === 'str') return this.op('aten::__getitem__', [seq, i]);
    if (seq.type.kind !== 'List') this.fail(`'${typeToPython(seq.type)}' object is not iterable`);
    return this.op('aten::__getitem__', [seq, i]);
  }
}

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


