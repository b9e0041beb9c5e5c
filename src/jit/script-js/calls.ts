// Calls, member reads and operators of the scripting frontend: `torch.X(...)` and `F.X(...)` are
// op-table rows resolved by argument types (a trailing object literal holds keyword arguments),
// `x.m(...)` on a tensor is `aten::m(x, ...)`, array methods are list ops, `this.sub.forward(x)`
// calls a scripted submodule (prim::CallMethod), and JS operators map to the ops Python's do.
import { Tensor } from '../../sdk/tensor.js';
import { isDType, SCALAR_TYPE_OF } from '../../sdk/dtype.js';
import type { Value } from '../ir.js';
import { BoolT, FloatT, IntT, TensorT, classType, typeToPython, type JitType } from '../types.js';
import type { Emitter } from './emitter.js';
import { OP_TABLE } from '../../ops/index.js';
import { findOverload, materialize } from '../compile/schema-match.js';
import { RESOLVED_ROWS } from '../compile/resolved.js';
import { BINARY_OPS, MATH_CONSTANTS, MATH_OPS, NUMBER_CONSTANTS, type Sugared } from './sugared.js';

const LIST_METHODS: Record<string, string> = {
  push: 'aten::append', pop: 'aten::pop', includes: 'aten::__contains__', indexOf: 'aten::index',
  slice: 'aten::slice', reverse: 'aten::reverse', concat: 'aten::add',
};
const SWAPPED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '===': '===', '!=': '!=', '!==': '!==', '+': '+', '*': '*' };
const hasOp = (name: string) => OP_TABLE.has(name);
const isNumber = (t: JitType) => t.kind === 'int' || t.kind === 'float' || t.kind === 'bool';

export class Calls {
  constructor(private em: Emitter) {}

  /** Inserts the op `name` resolved by argument types; its single result (a tuple for several). */
  callOp(name: string, args: Value[], kwargs: Map<string, Value>, at: any): Value {
    const em = this.em;
    const rows = OP_TABLE.get(name);
    if (!rows) throw em.error(at, `unknown builtin op '${name}'`);
    const m = findOverload(rows, args, kwargs);
    if (!m) {
      const given = [...args.map((a) => typeToPython(a.type)), ...[...kwargs].map(([k, v]) => `${k}=${typeToPython(v.type)}`)].join(', ');
      throw em.error(at, `arguments for call are not valid: ${name}(${given}) matches none of:\n${rows.map((r) => `  ${r.schema}`).join('\n')}`);
    }
    const n = em.node(m.row.parsed.name, materialize(em.graph, m), m.returns, at);
    RESOLVED_ROWS.set(n, m.row);
    if (n.outputs.length === 1) return n.output();
    if (n.outputs.length === 0) return em.constant(null);
    return em.node('prim::TupleConstruct', [...n.outputs], [{ kind: 'Tuple', elems: m.returns }], at).output();
  }

  /** Positional arguments and, from a trailing object literal, keyword arguments. */
  private args(nodes: any[]): { args: Value[]; kwargs: Map<string, Value> } {
    const em = this.em;
    const kwargs = new Map<string, Value>();
    const dtypeCode = (v: Value) => {
      const c = v.node().kind === 'prim::Constant' && v.type.kind === 'str' ? v.node().getAttr('value', 's') : null;
      return c !== null && isDType(c) ? em.constant(SCALAR_TYPE_OF[c], IntT) : v;
    };
    let list = nodes;
    const last = nodes[nodes.length - 1];
    if (last?.type === 'ObjectExpression') {
      list = nodes.slice(0, -1);
      for (const p of last.properties) {
        if (p.type !== 'Property' || p.computed || p.kind !== 'init') throw em.unsupported(p, 'this keyword-argument entry');
        const key = p.key.type === 'Identifier' ? p.key.name : String(p.key.value);
        kwargs.set(key, dtypeCode(em.expr(p.value)));
      }
    }
    return { args: list.map((a) => dtypeCode(em.expr(a))), kwargs };
  }

  call(e: any): Value {
    const em = this.em;
    const callee = e.callee;
    if (e.optional) throw em.unsupported(e, 'optional call (?.)');
    if (callee.type === 'Identifier' && !em.env.has(callee.name)) {
      const fn = em.opts.globals?.[callee.name];
      if (typeof fn === 'function' && Object.prototype.hasOwnProperty.call(em.opts.globals, callee.name)) return this.functionCall(callee.name, fn, e);
      return this.builtinFunction(callee.name, e);
    }
    if (callee.type !== 'MemberExpression' || callee.computed) throw em.unsupported(e, 'calling a computed function value');
    const method = callee.property.name;
    const target = em.sugared(callee.object);
    if (target.kind === 'namespace') return this.namespaceCall(target.name, method, e);
    if (target.kind === 'module') return this.moduleCall(target, method, e);
    const self = target.value;
    const { args, kwargs } = this.args(e.arguments);
    if (self.type.kind === 'List') {
      const op = LIST_METHODS[method];
      if (!op) throw em.error(callee.property, `arrays have no scripted method '${method}'`);
      return this.callOp(op, [self, ...args], kwargs, e);
    }
    if (self.type.kind === 'Tensor') {
      if (method === 'item') return this.callOp(self.type.dtype && !self.type.dtype.startsWith('float') ? 'aten::Int' : 'aten::Float', [self], kwargs, e);
      if (!hasOp(`aten::${method}`)) throw em.error(callee.property, `Tensor has no method '${method}' in the op table`);
      return this.callOp(`aten::${method}`, [self, ...args], kwargs, e);
    }
    throw em.error(callee.property, `${typeToPython(self.type)} has no method '${method}'`);
  }

  /** `helper(x)` for a function passed in globals: scripted for these argument types, a prim::CallFunction. */
  private functionCall(name: string, fn: Function, e: any): Value {
    const em = this.em;
    const { args, kwargs } = this.args(e.arguments);
    if (kwargs.size) throw em.unsupported(e, 'keyword arguments to a scripted function');
    if (!em.opts.scriptFunction) throw em.error(e.callee, `calling '${name}' is not supported here`);
    const callee = em.opts.scriptFunction(fn, name, args.map((a) => a.type), em.pos(e));
    const n = em.node('prim::CallFunction', args, [callee.graph.outputs[0].type], e);
    n.setAttr('name', { kind: 's', value: callee.name });
    return n.output();
  }

  private builtinFunction(name: string, e: any): Value {
    const em = this.em;
    if (name === 'eval' || name === 'Function') throw em.unsupported(e, name);
    const conv: Record<string, string> = { Number: 'aten::Float', Boolean: 'aten::Bool', String: 'aten::str', parseInt: 'aten::Int' };
    if (!conv[name]) throw em.error(e.callee, `calling '${name}' is not supported: scripts call torch.*, tensor methods, Math.* and submodules`);
    const { args } = this.args(e.arguments);
    return this.callOp(conv[name], args, new Map(), e);
  }

  private namespaceCall(ns: string, method: string, e: any): Value {
    const em = this.em;
    if (ns === 'Math') {
      const op = MATH_OPS[method];
      if (!op) throw em.error(e.callee, `Math.${method} is not supported in scripts`);
      const { args } = this.args(e.arguments);
      if (op === 'aten::pow') return this.binary('**', args[0], args[1], e);
      return this.callOp(op, args, new Map(), e);
    }
    if (ns === 'torch' || ns === 'functional') {
      const { args, kwargs } = this.args(e.arguments);
      const op = `aten::${method}`;
      if (!hasOp(op)) throw em.error(e.callee, `unknown builtin op '${op}' (torch.${ns === 'functional' ? 'nn.functional.' : ''}${method} has no op-table row)`);
      return this.callOp(op, args, kwargs, e);
    }
    throw em.error(e.callee, `${ns}.${method}() is not supported in scripts`);
  }

  /** `this.sub.forward(x)` (or `.call(x)`), `this.helper(x)`: a scripted method of a module object. */
  private moduleCall(target: Extract<Sugared, { kind: 'module' }>, method: string, e: any): Value {
    const em = this.em;
    const name = method === 'call' ? 'forward' : method;
    if (typeof target.obj[name] !== 'function') throw em.error(e.callee, `module ${target.path || 'self'} has no method '${name}'`);
    if (!em.opts.scriptMethod) throw em.error(e.callee, 'module methods can only be called from a scripted module');
    const callee = em.opts.scriptMethod(target.obj, name);
    const { args, kwargs } = this.args(e.arguments);
    if (kwargs.size) throw em.unsupported(e, 'keyword arguments to a module method');
    const params = callee.inputs.slice(1);
    if (args.length !== params.length) throw em.error(e, `${name}() takes ${params.length} arguments, ${args.length} given`);
    args.forEach((a, i) => {
      if (a.type.kind !== params[i].type.kind) throw em.error(e.arguments[i], `argument ${i} of ${name}() is ${typeToPython(a.type)}, expected ${typeToPython(params[i].type)}`);
    });
    const n = em.node('prim::CallMethod', [target.value, ...args], [callee.outputs[0].type], e);
    n.setAttr('name', { kind: 's', value: name });
    return n.output();
  }

  member(e: any): Sugared {
    const em = this.em;
    const value = (v: Value): Sugared => ({ kind: 'value', value: v });
    const obj = em.sugared(e.object);
    if (e.computed) {
      if (obj.kind !== 'value') throw em.unsupported(e, 'computed access on a namespace or module');
      return value(this.index(obj.value, em.expr(e.property), e));
    }
    const prop: string = e.property.name;
    if (obj.kind === 'namespace') return this.namespaceMember(obj.name, prop, e);
    if (obj.kind === 'module') return this.moduleMember(obj, prop, e);
    const v = obj.value;
    if (prop === 'length' && (v.type.kind === 'List' || v.type.kind === 'str')) return value(this.callOp('aten::len', [v], new Map(), e));
    if (v.type.kind === 'Tensor') {
      const ops: Record<string, string> = { shape: 'aten::size', dtype: 'prim::dtype', ndim: 'aten::dim', device: 'prim::device', requires_grad: 'prim::requires_grad' };
      if (ops[prop]) return value(this.callOp(ops[prop], [v], new Map(), e));
    }
    throw em.error(e.property, `${typeToPython(v.type)} has no attribute '${prop}' in scripts`);
  }

  private index(v: Value, i: Value, at: any): Value {
    const em = this.em;
    if (v.type.kind === 'Tuple') {
      const k = i.node().kind === 'prim::Constant' ? Number(i.node().getAttr('value', 'i')) : NaN;
      const elems = v.type.elems;
      if (!Number.isInteger(k) || k < -elems.length || k >= elems.length) throw em.error(at, 'a tuple index must be a constant in range');
      const j = k < 0 ? k + elems.length : k;
      return em.node('prim::TupleIndex', [v, em.constant(j)], [elems[j]], at).output();
    }
    if (v.type.kind === 'Tensor') return this.callOp('aten::select', [v, em.constant(0), i], new Map(), at);
    return this.callOp('aten::__getitem__', [v, i], new Map(), at);
  }

  private namespaceMember(ns: string, prop: string, e: any): Sugared {
    const em = this.em;
    const value = (v: Value): Sugared => ({ kind: 'value', value: v });
    if (ns === 'torch' && prop === 'nn') return { kind: 'namespace', name: 'torch.nn' };
    if (ns === 'torch.nn' && prop === 'functional') return { kind: 'namespace', name: 'functional' };
    if (ns === 'torch' && isDType(prop)) return value(em.constant(SCALAR_TYPE_OF[prop], IntT));
    if (ns === 'torch' && (prop === 'inf' || prop === 'pi' || prop === 'e' || prop === 'nan')) {
      return value(em.constant({ inf: Infinity, pi: Math.PI, e: Math.E, nan: NaN }[prop], FloatT));
    }
    const table = ns === 'Math' ? MATH_CONSTANTS : ns === 'Number' ? NUMBER_CONSTANTS : {};
    if (prop in table) return value(em.constant(table[prop], FloatT));
    throw em.error(e.property, `${ns}.${prop} is not supported in scripts`);
  }

  /**
   * A module field: tensors, submodules and booleans by prim::GetAttr (flags such as `training`,
   * which train() and eval() flip after scripting, are read when the graph runs); numbers, strings
   * and arrays are hyperparameters, folded as constants (PyTorch's Final attributes).
   */
  private moduleMember(m: Extract<Sugared, { kind: 'module' }>, prop: string, e: any): Sugared {
    const em = this.em;
    const buffers = m.obj._buffers instanceof Map ? m.obj._buffers : null;
    const field = prop in m.obj ? m.obj[prop] : buffers?.get(prop);
    const path = m.path ? `${m.path}.${prop}` : prop;
    const getAttr = (type: JitType) => {
      const n = em.node('prim::GetAttr', [m.value], [type], e);
      n.setAttr('name', { kind: 's', value: prop });
      return n.output();
    };
    if (field instanceof Tensor) return { kind: 'value', value: getAttr(TensorT) };
    if (typeof field === 'boolean') return { kind: 'value', value: getAttr(BoolT) };
    if (field !== null && typeof field === 'object' && typeof field.forward === 'function') {
      return { kind: 'module', obj: field, value: getAttr(em.opts.typeOf?.(field) ?? moduleType(field)), path };
    }
    if (field === null || field === undefined) {
      if (prop in m.obj || buffers?.has(prop)) return { kind: 'value', value: em.constant(null) };
      throw em.error(e.property, `module ${m.path || 'self'} has no attribute '${prop}'`);
    }
    const c = em.constantOf(field);
    if (c) return { kind: 'value', value: c };
    throw em.error(e.property, `attribute '${path}' is ${typeof field}: only tensors, submodules, numbers, strings, booleans and arrays of those can be read`);
  }

  binary(op: string, a: Value, b: Value, at: any): Value {
    const em = this.em;
    const name = BINARY_OPS[op];
    if (!name) throw em.unsupported(at, `the operator ${op}`);
    if ((op === '===' || op === '!==' || op === '==' || op === '!=') && (a.type.kind === 'NoneType' || b.type.kind === 'NoneType')) {
      return this.callOp(op.startsWith('!') ? 'aten::__isnot__' : 'aten::__is__', [a, b], new Map(), at);
    }
    // A number on the left of a tensor: Python's reflected operators.
    if (isNumber(a.type) && b.type.kind === 'Tensor') {
      if (SWAPPED[op]) return this.binary(SWAPPED[op], b, a, at);
      if (op === '-') return this.callOp('aten::rsub', [b, a], new Map(), at);
      const t = em.node('prim::NumToTensor', [a], [TensorT], at).output();
      return this.callOp(name, [t, b], new Map(), at);
    }
    return this.callOp(name, [a, b], new Map(), at);
  }

  unary(e: any): Value {
    const em = this.em;
    switch (e.operator) {
      case '-': {
        const arg = e.argument;
        if (arg.type === 'Literal' && typeof arg.value === 'number') {
          const v = em.expr(arg);
          return em.constant(-arg.value, v.type);
        }
        return this.callOp('aten::neg', [em.expr(arg)], new Map(), e);
      }
      case '+': return em.expr(e.argument);
      case '!': return this.callOp('aten::__not__', [em.condition(e.argument)], new Map(), e);
      default: throw em.unsupported(e, `the ${e.operator} operator`);
    }
  }
}

export function moduleType(obj: object): JitType {
  const name = obj.constructor && obj.constructor !== Object ? obj.constructor.name : 'Module';
  return classType(`__torch__.${name}`);
}
