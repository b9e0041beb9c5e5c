// Expressions: names, literals, operators, comparisons, conditional expressions, tuple and
// tensor subscripts (lowered to aten::slice/select/unsqueeze/index as PyTorch does).
import type * as A from '../frontend/ast.js';
import { constantValue, type Value } from '../ir.js';
import {
  AnyT, BoolT, FloatT, IntT, NoneT, StrT, TensorT, isSubtypeOf, listType, optionalType, tupleType, typeToPython,
  unify, dictType, type JitType,
} from '../types.js';
import { Scope, type Sugared } from './scope.js';
import { UNRESOLVED } from './resolved.js';
import { ConditionEmitter } from './emit-conditions.js';

const SPECIALS = new Set(['len', 'int', 'float', 'bool', 'str', 'range', 'min', 'max', 'abs', 'getattr', 'hasattr',
  'print', 'isinstance', 'annotate', 'unchecked_cast', 'uninitialized', 'zip', 'enumerate', 'list', 'sum', 'any', 'all',
  'round', 'sorted', 'divmod', 'tuple']);
export const BINARY_OPS: Record<A.BinaryOp, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '//': 'floordiv', '%': 'remainder', '**': 'pow', '@': 'matmul',
  '<<': '__lshift__', '>>': '__rshift__', '&': '__and__', '|': '__or__', '^': '__xor__',
};
const COMPARE_OPS: Record<string, string> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

export abstract class ExpressionEmitter extends ConditionEmitter {
  value(e: A.Expr, scope: Scope, hint?: JitType): Value {
    return this.asValue(this.expr(e, scope, hint), e.pos);
  }

  protected valueWithType(e: A.Expr, type: JitType, scope: Scope): Value {
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

  protected expr(e: A.Expr, scope: Scope, hint?: JitType): Sugared {
    const saved = this.pos;
    this.pos = e.pos;
    try {
      return this.exprAt(e, scope, hint);
    } finally {
      this.pos = saved;
    }
  }

  protected exprAt(e: A.Expr, scope: Scope, hint?: JitType): Sugared {
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

  protected name(e: A.Name, scope: Scope): Sugared {
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

  protected listLiteral(e: A.ListExpr, scope: Scope, hint?: JitType): Value {
    const elemHint = hint?.kind === 'List' ? hint.elem : hint?.kind === 'Optional' && hint.elem.kind === 'List' ? hint.elem.elem : undefined;
    const vs = e.elts.map((x) => this.value(x, scope, elemHint));
    let elem: JitType | null = elemHint ?? (vs.length ? vs[0].type : TensorT);
    if (!elemHint) for (const v of vs) elem = elem && unify(elem, v.type);
    if (!elem) this.fail('list elements have different types; annotate the list', e.pos);
    return this.node('prim::ListConstruct', vs).output().setType(listType(elem!));
  }

  protected dictLiteral(e: A.DictExpr, scope: Scope, hint?: JitType): Value {
    const ins: Value[] = [];
    for (const { key, value } of e.entries) ins.push(this.value(key, scope), this.value(value, scope));
    const t = hint?.kind === 'Dict' ? hint : ins.length ? dictType(ins[0].type, ins[1].type) : dictType(StrT, TensorT);
    return this.node('prim::DictConstruct', ins).output().setType(t);
  }

  protected listComp(e: A.ListComp, scope: Scope): Value {
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

  protected unary(e: A.Unary, scope: Scope): Value {
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

  protected compare(e: A.Compare, scope: Scope): Value {
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

  protected ifExp(e: A.IfExp, scope: Scope): Value {
    const c = this.cond(e.test, scope);
    if (c.static !== undefined) return this.value(c.static ? e.body : e.orelse, scope);
    const tmp = '$ifexp';
    const sc = new Scope(scope);
    this.emitIf(c, sc, (s) => s.vars.set(tmp, { kind: 'value', v: this.value(e.body, s) }), (s) => s.vars.set(tmp, { kind: 'value', v: this.value(e.orelse, s) }));
    const out = sc.vars.get(tmp);
    if (!out) this.fail('the branches of a conditional expression have different types', e.pos);
    return this.asValue(out!);
  }

  protected subscript(e: A.Subscript, scope: Scope): Value {
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

  protected tupleIndex(tuple: Value, i: number): Value {
    const t = this.tupleOf(tuple.type)!;
    const k = i < 0 ? i + t.elems.length : i;
    if (k < 0 || k >= t.elems.length) this.fail(`tuple index ${i} out of range`);
    const n = this.node('prim::TupleIndex', [tuple, this.const(k)]);
    return n.output().setType(t.elems[k]);
  }

  protected unpack(v: Value, n: number): Value[] {
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

  /** `x[:, None, 1:3, idx]` -> aten::slice / unsqueeze / select, then aten::index for tensors. */
  protected tensorIndex(x: Value, indices: readonly A.Expr[], scope: Scope): Value {
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
