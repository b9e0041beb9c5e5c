// Conditions: bool values for `if`/`while`/`assert`, short-circuit `and`/`or` as prim::If, and the
// type narrowings (`x is not None`, isinstance) each branch may assume.
import type * as A from '../frontend/ast.js';
import { constantValue, type Value } from '../ir.js';
import {
  AnyT, BoolT, StrT, isSubtypeOf, listType, tupleType, typeToPython, dictType, type JitType,
} from '../types.js';
import { Scope } from './scope.js';
import { EmitCore, type Cond } from './emit-core.js';

export abstract class ConditionEmitter extends EmitCore {
  protected cond(e: A.Expr, scope: Scope): Cond {
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

  protected toBool(v: Value): Value {
    if (v.type.kind === 'bool') return v;
    if (v.type.kind === 'Tensor' || v.type.kind === 'int' || v.type.kind === 'float') return this.op('aten::Bool', [v]);
    if (v.type.kind === 'List' || v.type.kind === 'str' || v.type.kind === 'Dict') return this.op('aten::gt', [this.op('aten::len', [v]), this.const(0)]);
    if (v.type.kind === 'Optional' || v.type.kind === 'NoneType') return this.op('aten::__isnot__', [v, this.const(null)]);
    return this.fail(`cannot use a value of type ${typeToPython(v.type)} as a condition`);
  }

  protected boolOp(e: A.BoolExpr, scope: Scope): Cond {
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

  protected refine(sc: Scope, refinements: Map<string, JitType>): void {
    for (const [name, type] of refinements) {
      const cur = sc.lookup(name);
      if (!cur || cur.kind !== 'value') continue;
      const v = this.node('prim::unchecked_cast', [cur.v]).output().setType(type);
      sc.refined.set(name, v);
    }
  }

  protected isinstanceTypes(e: A.Expr): JitType[] {
    const BARE: Record<string, JitType> = { list: listType(AnyT), tuple: tupleType([]), dict: dictType(StrT, AnyT) };
    const one = (x: A.Expr) => (x.kind === 'name' && Object.hasOwn(BARE, x.id) ? BARE[x.id] : this.typeOf(x));
    return e.kind === 'tuple' ? e.elts.map(one) : [one(e)];
  }

  /** isinstance decided from static types when possible (PyTorch folds it the same way). */
  protected isinstanceStatic(t: JitType, e: A.Expr): boolean | null {
    const names = (e.kind === 'tuple' ? e.elts : [e]).map((x) => (x.kind === 'name' ? x.id : ''));
    const KINDS: Record<string, string> = { list: 'List', tuple: 'Tuple', dict: 'Dict' };
    if (names.every((n) => n in KINDS)) return t.kind === 'Optional' || t.kind === 'Any' ? null : names.some((n) => KINDS[n] === t.kind);
    const types = this.isinstanceTypes(e);
    if (types.some((x) => isSubtypeOf(t, x))) return true;
    if (t.kind === 'Optional' || t.kind === 'Any') return null;
    return false;
  }
}

/** Literal True/False (not a computed constant), so `if True:` folds but `if x:` never does. */
function isStaticExpr(e: A.Expr): boolean {
  return e.kind === 'bool';
}

