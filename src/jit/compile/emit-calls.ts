// Calls and sugared values (PyTorch's SugaredValue): attributes of objects, classes and namespaces
// (`torch`, `ops.prim`, `math`, `CONSTANTS`), operator calls resolved against the op table, calls
// of script functions and methods, class construction (NamedTuples are typed tuples) and the
// Python builtins with special emission (`len`, `int`, `annotate`, `isinstance`...).
import type * as A from '../frontend/ast.js';
import { constantValue, type Value } from '../ir.js';
import { BoolT, FloatT, IntT, StrT, isSubtypeOf, listType, typeToPython, type JitType } from '../types.js';
import type { ClassInfo } from '../module.js';
import { Scope, type Sugared } from './scope.js';
import type { ScriptFunction } from './unit.js';
import { ExpressionEmitter } from './emit-expressions.js';

const DTYPE_CONSTANTS: Record<string, number> = {
  uint8: 0, int8: 1, int16: 2, short: 2, int32: 3, int: 3, int64: 4, long: 4, float16: 5, half: 5,
  float32: 6, float: 6, float64: 7, double: 7, bool: 11, bfloat16: 15,
};

export abstract class CallEmitter extends ExpressionEmitter {
  protected attribute(base: Sugared, attr: string, pos: A.Pos): Sugared {
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

  protected nsAttribute(path: string, attr: string, pos: A.Pos): Sugared {
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

  protected call(e: A.Call, scope: Scope, hint?: JitType): Sugared {
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

  protected scriptCall(fn: ScriptFunction, self: Value | null, args: Value[], kwargs: Map<string, Value>): Value {
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

  protected construct(cls: ClassInfo, args: Value[], kwargs: Map<string, Value>): Value {
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

  protected special(name: string, e: A.Call, scope: Scope, hint?: JitType): Sugared {
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
}
