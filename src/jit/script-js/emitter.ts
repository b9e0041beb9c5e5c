// The scripting frontend's IR emitter (PyTorch's ir_emitter.cpp for a JavaScript subset): one pass
// over acorn's AST building SSA with prim::If / prim::Loop blocks. Statements are here; calls and
// operators are in calls.ts. Exits are structured first (control.ts), so every `return`, `break`
// and `continue` ends a statement list and its value becomes an If output. A `return` inside a
// loop sets the loop's next condition to false and the carried RETURNED / RETURN_VALUE variables,
// as PyTorch's exit transform does; the value's type is PENDING until every return has been seen.
import { Graph, MAX_TRIP_COUNT, type Block, type Node, type Value } from '../ir.js';
import { BoolT, FloatT, IntT, StrT, TensorT, listType, tupleType, unify, isSubtypeOf, type JitType, typeToPython } from '../types.js';
import { PENDING, settlePending } from '../pending-type.js';
import { Env } from './env.js';
import { RETURNED, RETURN_VALUE, alwaysExits, assignedNames, asList, containsReturn, isSynthetic, loopReturns, structureExits } from './control.js';
import { ScriptError, ScriptSyntaxError, type ScriptPos } from './errors.js';
import type { ParsedFunction } from './parse.js';
import { BUILTIN_GLOBALS, type Sugared } from './sugared.js';
import { Calls } from './calls.js';

/** What ends a statement list: nothing, a return (its value) or a loop exit (continue condition). */
type Exit = { kind: 'none' } | { kind: 'return'; value: Value } | { kind: 'loop'; cond: Value };
const NONE: Exit = { kind: 'none' };

interface LoopContext { onContinue: () => Value }

export interface EmitOptions {
  /** Values of free identifiers (numbers, strings, booleans, arrays of those, namespaces). */
  globals?: Record<string, unknown>;
  /** Parameter types by name, e.g. {n: 'int'}, as JIT types. */
  paramTypes?: Record<string, JitType>;
  /** The module whose method this is: `this` reads its fields. */
  self?: object | null;
  selfType?: JitType;
  /** Scripts a submodule's method (for `this.sub.forward(x)`), returning its graph. */
  scriptMethod?: (obj: object, name: string) => Graph;
  /** The class type of a module object (holding its scripted methods). */
  typeOf?: (obj: object) => JitType;
  /** Scripts a free function (a global) called as `name` with arguments of `argTypes` at `at`. */
  scriptFunction?: (fn: Function, name: string, argTypes: JitType[], at: ScriptPos) => { name: string; graph: Graph };
  /** How many parameters are passed (the others are their defaults, as constants); default all. */
  arity?: number;
}

// Statement and expression kinds that have no TorchScript meaning.
const UNSUPPORTED: Record<string, string> = {
  TryStatement: 'try/catch', WithStatement: 'with', ThrowStatement: 'throw', SwitchStatement: 'switch',
  ClassDeclaration: 'a class', ClassExpression: 'a class', FunctionDeclaration: 'a nested function',
  FunctionExpression: 'a closure', ArrowFunctionExpression: 'a closure', YieldExpression: 'yield',
  AwaitExpression: 'await', NewExpression: 'new', TemplateLiteral: 'a template literal',
  TaggedTemplateExpression: 'a tagged template', SpreadElement: 'spread (...)', ObjectExpression: 'an object literal',
  ForInStatement: 'for...in', DoWhileStatement: 'do...while', LabeledStatement: 'a labeled statement',
  SequenceExpression: 'the comma operator', ThisExpression: 'this outside a module method', ImportExpression: 'import()',
  DebuggerStatement: 'debugger', ChainExpression: 'optional chaining (?.)',
};

export class Emitter {
  readonly graph = new Graph();
  env = new Env();
  private loops: LoopContext[] = [];
  /** The types of the values the function's `return` statements give. */
  private returnTypes: JitType[] = [];
  /** Each graph input's default value (after self), undefined where the parameter has none. */
  readonly defaults: unknown[] = [];
  readonly calls: Calls;

  constructor(readonly fn: ParsedFunction, readonly opts: EmitOptions = {}) {
    this.calls = new Calls(this);
  }

  pos(n: any): ScriptPos { return this.fn.pos(n); }
  error(n: any, msg: string): ScriptError { return new ScriptError(msg, this.pos(n)); }
  unsupported(n: any, construct = UNSUPPORTED[n.type] ?? n.type): ScriptSyntaxError {
    return new ScriptSyntaxError(construct, this.pos(n));
  }

  /** Builds the function's graph: parameters, body, one return. */
  emitFunction(): Graph {
    const g = this.graph;
    const node = this.fn.node;
    if (this.opts.self) {
      const self = g.addInput('self', this.opts.selfType);
      this.self = { kind: 'module', obj: this.opts.self, value: self, path: '' };
    }
    node.params.forEach((p: any, i: number) => this.emitParam(p, i));
    const body = node.body.type === 'BlockStatement' ? [...node.body.body] : [{ type: 'ReturnStatement', argument: node.body, loc: node.body.loc }];
    // Falling off the end returns None, as in Python.
    if (!alwaysExits(body[body.length - 1])) body.push({ type: 'ReturnStatement', argument: null, loc: node.loc });
    const exit = this.statements(body, true);
    const ret = exit.kind === 'return' ? exit.value : this.constant(null);
    g.registerOutput(ret);
    settlePending(g.block, this.returnType());
    return g;
  }

  /** What every `return` gives, unified (as the If outputs merging them are). */
  private returnType(): JitType {
    return this.returnTypes.reduce((a, b) => {
      const t = unify(a, b);
      if (!t) throw this.error(this.fn.node, `the function returns ${typeToPython(a)} and ${typeToPython(b)}`);
      return t;
    });
  }

  self: Sugared | null = null;

  private emitParam(p: any, i: number): void {
    let name: string;
    let type: JitType = TensorT;
    let dflt: { value: unknown; type: JitType } | null = null;
    if (p.type === 'Identifier') name = p.name;
    else if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') {
      // A default value gives the type (`n = 3` is an int); calls that leave it out pass it.
      name = p.left.name;
      dflt = literalDefault(p.right);
      if (!dflt) throw this.error(p.right, `the default of '${name}' must be a literal (it gives the parameter's type)`);
      type = dflt.type;
    } else throw this.unsupported(p, p.type === 'RestElement' ? 'a rest parameter' : 'a destructured parameter');
    if (i >= (this.opts.arity ?? Infinity)) {
      if (!dflt) throw this.error(p, `${this.fn.file}() is missing argument '${name}'`);
      this.env.declare(name, this.constant(dflt.value, dflt.type));
      return;
    }
    const declared = this.opts.paramTypes?.[name];
    const v = this.graph.addInput(name, declared ?? type);
    this.defaults.push(dflt?.value);
    this.env.declare(name, v);
  }

  constant(value: any, type?: JitType): Value {
    return this.graph.insertConstant(value, type ? { type } : {});
  }

  /** Inserts `kind(inputs)` with one output of `type` at the insert point. */
  node(kind: string, inputs: Value[], types: JitType[], at?: any): Node {
    const n = this.graph.createNode(kind, inputs, types.length);
    n.outputs.forEach((o, i) => o.setType(types[i]));
    if (at?.loc) n.sourceRange = this.sourceRange(at);
    return this.graph.insertNode(n);
  }

  sourceRange(at: any) {
    const p = this.pos(at);
    return { file: p.file, line: p.line, col: p.col };
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  /** Emits a list in a fresh scope (unless `sameScope`); returns how it ends. */
  statements(list: any[], sameScope = false): Exit {
    const stmts = structureExits(list);
    if (!sameScope) this.env = new Env(this.env);
    try {
      for (const s of stmts) {
        const exit = this.statement(s);
        if (exit.kind !== 'none') return exit;
      }
      return NONE;
    } finally {
      if (!sameScope) this.popScope();
    }
  }

  /** Leaves a scope, handing the outer names it assigned to the enclosing scope. */
  private popScope(): void {
    const inner = this.env;
    this.env = inner.parent!;
    for (const name of inner.overrides) this.env.assign(name, inner.lookup(name)!);
  }

  private statement(s: any): Exit {
    switch (s.type) {
      case 'EmptyStatement': return NONE;
      case 'ExpressionStatement':
        if (s.directive) return NONE; // 'use strict'
        this.exprStatement(s.expression);
        return NONE;
      case 'VariableDeclaration':
        for (const d of s.declarations) this.declare(d, s.kind === 'const');
        return NONE;
      case 'BlockStatement': return this.statements(s.body);
      case 'IfStatement': return this.ifStatement(s);
      case 'ReturnStatement': {
        const value = s.argument ? this.expr(s.argument) : this.constant(null);
        if (value.type !== PENDING) this.returnTypes.push(value.type);
        if (!this.loops.length) return { kind: 'return', value };
        // Leaves every enclosing loop: each one's body yields false and carries the value out.
        this.env.assign(RETURNED, this.constant(true));
        this.env.assign(RETURN_VALUE, value);
        return { kind: 'loop', cond: this.constant(false) };
      }
      case 'BreakStatement':
      case 'ContinueStatement': {
        if (s.label) throw this.unsupported(s, 'a labeled break/continue');
        const loop = this.loops[this.loops.length - 1];
        if (!loop) throw this.error(s, `${s.type === 'BreakStatement' ? 'break' : 'continue'} outside a loop`);
        return { kind: 'loop', cond: s.type === 'BreakStatement' ? this.constant(false) : loop.onContinue() };
      }
      case 'ForStatement': case 'ForOfStatement': case 'WhileStatement':
        // The outermost loop that returns declares the carried return flag and value here, where
        // the guard after the loop (control.ts) reads them.
        if (loopReturns(s) && !this.env.has(RETURNED)) {
          this.env.declare(RETURNED, this.constant(false));
          this.env.declare(RETURN_VALUE, this.node('prim::Uninitialized', [], [PENDING], s).output());
        }
        if (s.type === 'ForStatement') return this.forStatement(s);
        return s.type === 'ForOfStatement' ? this.forOf(s) : this.whileLoop(s, [], null);
      default: throw this.unsupported(s);
    }
  }

  private declare(d: any, isConst: boolean): void {
    if (!d.init) throw this.error(d, `declaration of '${d.id.name ?? '?'}' needs an initial value (types come from it)`);
    if (d.id.type === 'Identifier') {
      const v = this.expr(d.init);
      if (!v.hasDebugName() && v.node().kind !== 'prim::Param') v.setDebugName(d.id.name);
      this.env.declare(d.id.name, v, isConst);
    } else if (d.id.type === 'ArrayPattern') {
      this.unpack(d.id, this.expr(d.init), (name, v) => this.env.declare(name, v, isConst));
    } else throw this.unsupported(d.id, 'object destructuring');
  }

  /** `[a, b] = tuple` or a list of known length: prim::TupleUnpack / prim::ListUnpack. */
  private unpack(pattern: any, v: Value, bind: (name: string, v: Value) => void): void {
    const names = pattern.elements.map((e: any) => {
      if (!e || e.type !== 'Identifier') throw this.unsupported(e ?? pattern, 'destructuring beyond simple arrays of names');
      return e.name;
    });
    let types: JitType[];
    let kind: string;
    if (v.type.kind === 'Tuple') {
      if (v.type.elems.length !== names.length) throw this.error(pattern, `cannot unpack a tuple of ${v.type.elems.length} values into ${names.length} names`);
      types = v.type.elems;
      kind = 'prim::TupleUnpack';
    } else if (v.type.kind === 'List') {
      types = names.map(() => (v.type as { elem: JitType }).elem);
      kind = 'prim::ListUnpack';
    } else throw this.error(pattern, `cannot unpack a value of type ${typeToPython(v.type)}`);
    const n = this.node(kind, [v], types, pattern);
    names.forEach((name: string, i: number) => {
      n.outputs[i].setDebugName(name);
      bind(name, n.outputs[i]);
    });
  }

  private exprStatement(e: any): void {
    if (e.type === 'AssignmentExpression') return this.assignment(e);
    if (e.type === 'UpdateExpression') {
      const one = { type: 'Literal', value: 1, raw: '1', loc: e.loc };
      return this.assignment({ type: 'AssignmentExpression', operator: e.operator === '++' ? '+=' : '-=', left: e.argument, right: one, loc: e.loc });
    }
    this.expr(e);
  }

  private assignment(e: any): void {
    const target = e.left;
    if (target.type === 'ArrayPattern' && e.operator === '=') {
      this.unpack(target, this.expr(e.right), (name, v) => this.assignName(target, name, v));
      return;
    }
    if (target.type === 'MemberExpression') {
      if (target.computed && e.operator === '=') {
        const list = this.expr(target.object);
        this.calls.callOp('aten::_set_item', [list, this.expr(target.property), this.expr(e.right)], new Map(), e);
        return;
      }
      throw this.unsupported(e, 'assigning to an attribute');
    }
    if (target.type !== 'Identifier') throw this.unsupported(target, 'this assignment target');
    let v: Value;
    if (e.operator === '=') v = this.expr(e.right);
    else {
      const op = e.operator.slice(0, -1);
      if (op === '&&' || op === '||' || op === '??') throw this.unsupported(e, `${e.operator}`);
      v = this.calls.binary(op, this.identifier(target), this.expr(e.right), e);
    }
    this.assignName(target, target.name, v);
  }

  private assignName(at: any, name: string, v: Value): void {
    if (this.env.isConst(name)) throw this.error(at, `assignment to constant variable '${name}'`);
    if (!this.env.has(name)) throw this.error(at, `assignment to undeclared variable '${name}' (declare it with let)`);
    if (!v.hasDebugName() && v.node().kind !== 'prim::Param' && v.node().kind !== 'prim::Constant') v.setDebugName(name);
    this.env.assign(name, v);
  }

  // ---------------------------------------------------------------------------------------------
  // Control flow

  /** Emits a prim::If; `branch(i)` emits block i and returns its exit. */
  private emitIf(cond: Value, at: any, thenList: any[], elseList: any[]): Exit {
    const n = this.node('prim::If', [cond], [], at);
    const before = this.env;
    const results: { exit: Exit; env: Env }[] = [];
    for (const list of [thenList, elseList]) {
      const b = n.addBlock();
      this.env = new Env(before);
      const exit = this.graph.withInsertPoint(b, () => this.statements(list, true));
      results.push({ exit, env: this.env });
    }
    this.env = before;
    const [t, f] = results;
    const names = [...new Set([...t.env.overrides, ...f.env.overrides])];
    const outs: { values: [Value, Value]; name?: string }[] = [];
    if (t.exit.kind !== f.exit.kind) throw this.error(at, 'internal: branches end differently');
    if (t.exit.kind === 'return' && f.exit.kind === 'return') outs.push({ values: [t.exit.value, f.exit.value] });
    if (t.exit.kind === 'loop' && f.exit.kind === 'loop') outs.push({ values: [t.exit.cond, f.exit.cond] });
    for (const name of names) outs.push({ values: [t.env.lookup(name)!, f.env.lookup(name)!], name });
    const merged = outs.map(({ values: [a, b], name }) => {
      const type = a.type === PENDING || b.type === PENDING ? PENDING : unify(a.type, b.type);
      if (!type) throw this.error(at, `${name && !isSynthetic(name) ? `'${name}'` : 'the result'} is ${typeToPython(a.type)} in the true branch and ${typeToPython(b.type)} in the false branch`);
      n.blocks[0].registerOutput(a);
      n.blocks[1].registerOutput(b);
      const o = n.addOutput(type);
      if (name && !isSynthetic(name)) o.setDebugName(name);
      return o;
    });
    names.forEach((name, i) => this.env.assign(name, merged[merged.length - names.length + i]));
    if (t.exit.kind === 'return') return { kind: 'return', value: merged[0] };
    if (t.exit.kind === 'loop') return { kind: 'loop', cond: merged[0] };
    return NONE;
  }

  private ifStatement(s: any): Exit {
    return this.emitIf(this.condition(s.test), s, asList(s.consequent), asList(s.alternate));
  }

  /** A bool for a condition; tensors convert with aten::Bool as `bool(t)` does. */
  condition(e: any): Value {
    const v = this.expr(e);
    if (v.type.kind === 'bool') return v;
    if (v.type.kind === 'Tensor') return this.calls.callOp('aten::Bool', [v], new Map(), e);
    if (v.type.kind === 'int' || v.type.kind === 'float') return this.calls.callOp('aten::Bool', [v], new Map(), e);
    throw this.error(e, `a condition must be a bool, a number or a tensor, not ${typeToPython(v.type)}`);
  }

  /**
   * Emits prim::Loop(trip, cond, carried...). `iterName` binds the iteration (`body.inputs[0]`),
   * `bodyPrefix` runs first in the body, `cont` gives the condition when the body continues.
   */
  private loop(at: any, trip: Value, cond: Value, bodyAst: any[], carriedExtra: any[], bind: (iter: Value) => void, cont: () => Value): Exit {
    const assigned = assignedNames([bodyAst, carriedExtra]);
    if (bodyAst.some(containsReturn)) [RETURNED, RETURN_VALUE].forEach((name) => assigned.add(name));
    const carried = [...assigned].filter((name) => this.env.has(name));
    const inits = carried.map((name) => this.env.lookup(name)!);
    const n = this.node('prim::Loop', [trip, cond, ...inits], inits.map((v) => v.type), at);
    const body = n.addBlock();
    const iter = body.addInput('', IntT);
    const before = this.env;
    this.env = new Env(before);
    carried.forEach((name, i) => this.env.declare(name, body.addInput(isSynthetic(name) ? '' : name, inits[i].type)));
    this.loops.push({ onContinue: cont });
    let exit: Exit;
    try {
      exit = this.graph.withInsertPoint(body, () => {
        bind(iter);
        return this.statements([...bodyAst, { type: 'ContinueStatement', loc: at.loc, synthetic: true }], true);
      });
    } finally {
      this.loops.pop();
    }
    if (exit.kind !== 'loop') throw this.error(at, 'internal: loop body does not end in a loop exit');
    body.registerOutput(exit.cond);
    carried.forEach((name, i) => {
      const v = this.env.lookup(name)!;
      if (!isSubtypeOf(v.type, inits[i].type)) {
        throw this.error(at, `loop-carried variable '${name}' is ${typeToPython(inits[i].type)} before the loop and ${typeToPython(v.type)} after an iteration`);
      }
      body.registerOutput(v);
    });
    this.env = before;
    carried.forEach((name, i) => {
      if (!isSynthetic(name)) n.outputs[i].setDebugName(name);
      this.env.assign(name, n.outputs[i]);
    });
    return NONE;
  }

  private body(s: any): any[] { return asList(s.body); }

  private forStatement(s: any): Exit {
    const range = this.rangeOf(s);
    if (range) {
      const { name, start, end, step, inclusive } = range;
      this.env = new Env(this.env);
      try {
        const startV = this.expr(start);
        let endV = this.expr(end);
        if (inclusive) endV = this.calls.binary('+', endV, this.constant(1), s);
        const simple = start.type === 'Literal' && start.value === 0 && step === 1;
        const trip = simple ? endV : this.calls.callOp('aten::__range_length', [startV, endV, this.constant(step)], new Map(), s);
        return this.loop(s, trip, this.constant(true), this.body(s), [], (iter) => {
          const i = simple ? iter : this.calls.callOp('aten::__derive_index', [iter, startV, this.constant(step)], new Map(), s);
          if (simple) iter.setDebugName(name);
          this.env.declare(name, i);
        }, () => this.constant(true));
      } finally {
        this.popScope();
      }
    }
    // Any other for(;;): init; while (test) { body; update }.
    this.env = new Env(this.env);
    try {
      if (s.init) {
        if (s.init.type === 'VariableDeclaration') s.init.declarations.forEach((d: any) => this.declare(d, s.init.kind === 'const'));
        else this.exprStatement(s.init);
      }
      return this.whileLoop({ ...s, test: s.test ?? { type: 'Literal', value: true, raw: 'true', loc: s.loc } }, s.update ? [s.update] : [], s.update);
    } finally {
      this.popScope();
    }
  }

  /** `for (let i = a; i < b; i++ | i += k)` with `i` not assigned in the body: a counted loop. */
  private rangeOf(s: any): { name: string; start: any; end: any; step: number; inclusive: boolean } | null {
    const init = s.init, test = s.test, update = s.update;
    if (init?.type !== 'VariableDeclaration' || init.kind !== 'let' || init.declarations.length !== 1) return null;
    const d = init.declarations[0];
    if (d.id.type !== 'Identifier' || !d.init) return null;
    const name = d.id.name;
    if (test?.type !== 'BinaryExpression' || !['<', '<='].includes(test.operator) || test.left.type !== 'Identifier' || test.left.name !== name) return null;
    let step: number | null = null;
    if (update?.type === 'UpdateExpression' && update.operator === '++' && update.argument.name === name) step = 1;
    if (update?.type === 'AssignmentExpression' && update.operator === '+=' && update.left.name === name
      && update.right.type === 'Literal' && Number.isInteger(update.right.value) && update.right.value > 0) step = update.right.value;
    if (step === null || assignedNames(s.body).has(name) || assignedNames(test.right).size) return null;
    return { name, start: d.init, end: test.right, step, inclusive: test.operator === '<=' };
  }

  private whileLoop(s: any, update: any[], updateAst: any): Exit {
    const test = () => this.condition(s.test);
    const cont = () => {
      if (updateAst) this.exprStatement(updateAst);
      return test();
    };
    return this.loop(s, this.constant(MAX_TRIP_COUNT, IntT), test(), this.body(s), update, () => {}, cont);
  }

  private forOf(s: any): Exit {
    const decl = s.left;
    if (decl.type !== 'VariableDeclaration' || decl.declarations[0].id.type !== 'Identifier') throw this.unsupported(s.left, 'this for...of target');
    const name = decl.declarations[0].id.name;
    const iterable = this.sugared(s.right);
    if (iterable.kind === 'module') throw this.unsupported(s.right, 'iterating over a module');
    if (iterable.kind !== 'value') throw this.error(s.right, 'for...of needs an array or a tensor');
    const xs = iterable.value;
    const isList = xs.type.kind === 'List';
    if (!isList && xs.type.kind !== 'Tensor') throw this.error(s.right, `for...of over ${typeToPython(xs.type)} is not supported`);
    const len = this.calls.callOp('aten::len', [xs], new Map(), s);
    this.env = new Env(this.env);
    try {
      return this.loop(s, len, this.constant(true), this.body(s), [], (iter) => {
        const item = isList ? this.calls.callOp('aten::__getitem__', [xs, iter], new Map(), s)
          : this.calls.callOp('aten::select', [xs, this.constant(0), iter], new Map(), s);
        item.setDebugName(name);
        this.env.declare(name, item, decl.kind === 'const');
      }, () => this.constant(true));
    } finally {
      this.popScope();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  expr(e: any): Value {
    const s = this.sugared(e);
    if (s.kind === 'value') return s.value;
    if (s.kind === 'module') throw this.error(e, `a module (${s.path || 'self'}) cannot be used as a value`);
    throw this.error(e, `the namespace ${s.name} cannot be used as a value`);
  }

  sugared(e: any): Sugared {
    const value = (v: Value): Sugared => ({ kind: 'value', value: v });
    switch (e.type) {
      case 'Literal': return value(this.literal(e));
      case 'Identifier': return this.name(e);
      case 'ThisExpression':
        if (!this.self) throw this.unsupported(e);
        return this.self;
      case 'ArrayExpression': return value(this.arrayLiteral(e));
      case 'MemberExpression': return this.calls.member(e);
      case 'CallExpression': return value(this.calls.call(e));
      case 'BinaryExpression': return value(this.calls.binary(e.operator, this.expr(e.left), this.expr(e.right), e));
      case 'LogicalExpression': return value(this.logical(e));
      case 'UnaryExpression': return value(this.calls.unary(e));
      case 'ConditionalExpression': return value(this.ternary(e));
      case 'AssignmentExpression': case 'UpdateExpression':
        throw this.unsupported(e, 'an assignment used as a value');
      default: throw this.unsupported(e);
    }
  }

  private literal(e: any): Value {
    if (typeof e.value === 'number') {
      const isFloat = /[.eE]/.test(e.raw) && !/^0[xXoObB]/.test(e.raw) || !Number.isInteger(e.value);
      return this.constant(e.value, isFloat ? FloatT : IntT);
    }
    if (e.value === null && e.raw === 'null') return this.constant(null);
    if (typeof e.value === 'string' || typeof e.value === 'boolean') return this.constant(e.value);
    throw this.unsupported(e, e.regex ? 'a regular expression' : e.bigint !== undefined ? 'a BigInt literal' : 'this literal');
  }

  identifier(e: any): Value {
    return this.expr(e);
  }

  private name(e: any): Sugared {
    const v = this.env.lookup(e.name);
    if (v) return { kind: 'value', value: v };
    switch (e.name) {
      case 'undefined': return { kind: 'value', value: this.constant(null) };
      case 'Infinity': return { kind: 'value', value: this.constant(Infinity, FloatT) };
      case 'NaN': return { kind: 'value', value: this.constant(NaN, FloatT) };
    }
    const globals = this.opts.globals ?? {};
    if (Object.prototype.hasOwnProperty.call(globals, e.name)) return this.globalValue(e, e.name, globals[e.name]);
    const builtin = BUILTIN_GLOBALS[e.name];
    if (builtin) return builtin;
    throw this.error(e, `undefined identifier '${e.name}': JavaScript closures are not visible to the script; pass its value in {globals: {${e.name}: ...}}`);
  }

  /** A global's value: a namespace object (Math, Number, torch, nn.functional) or a constant. */
  private globalValue(at: any, name: string, v: unknown): Sugared {
    if (v === Math) return BUILTIN_GLOBALS.Math;
    if (v === Number) return BUILTIN_GLOBALS.Number;
    const ns = v !== null && typeof v === 'object' ? v as Record<string, unknown> : null;
    if (ns && typeof ns.linear === 'function' && typeof ns.relu === 'function' && !ns.nn) return BUILTIN_GLOBALS.functional;
    if (ns && typeof ns.mul === 'function' && ns.nn) return BUILTIN_GLOBALS.torch;
    const c = this.constantOf(v);
    if (c) return { kind: 'value', value: c };
    if (typeof v === 'function') throw this.error(at, `global '${name}' is ${describe(v)}: functions in globals can be called, not used as values`);
    throw this.error(at, `global '${name}' is ${describe(v)}: only numbers, strings, booleans and arrays of those can be captured`);
  }

  /** A constant for a JS number, string, boolean or array of those; null if it is none of these. */
  constantOf(v: unknown): Value | null {
    if (typeof v === 'number') return this.constant(v, Number.isInteger(v) ? IntT : FloatT);
    if (typeof v === 'string' || typeof v === 'boolean' || v === null) return this.constant(v);
    if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
      return this.constant(v, listType(v.every((x) => Number.isInteger(x)) ? IntT : FloatT));
    }
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === typeof v[0] && (typeof x === 'string' || typeof x === 'boolean'))) return this.constant(v);
    return null;
  }

  /** A list when the elements share a type (empty: List[Tensor], as TorchScript assumes), else a tuple. */
  private arrayLiteral(e: any): Value {
    const items = e.elements.map((x: any) => {
      if (!x) throw this.unsupported(e, 'an array hole');
      return this.expr(x);
    });
    let elem: JitType | null = items.length ? items[0].type : TensorT;
    for (const v of items.slice(1)) elem = elem && unify(elem, v.type);
    if (elem && items.every((v: Value) => v.type.kind === elem!.kind)) return this.node('prim::ListConstruct', items, [listType(elem)], e).output();
    return this.node('prim::TupleConstruct', items, [tupleType(items.map((v: Value) => v.type))], e).output();
  }

  /** `a && b`, `a || b` on bools, short-circuiting through prim::If as TorchScript does. */
  private logical(e: any): Value {
    if (e.operator === '??') throw this.unsupported(e, '??');
    const a = this.condition(e.left);
    const and = e.operator === '&&';
    return this.exprIf(e, a, () => (and ? this.condition(e.right) : this.constant(true)), () => (and ? this.constant(false) : this.condition(e.right)));
  }

  private ternary(e: any): Value {
    return this.exprIf(e, this.condition(e.test), () => this.expr(e.consequent), () => this.expr(e.alternate));
  }

  private exprIf(at: any, cond: Value, a: () => Value, b: () => Value): Value {
    const n = this.node('prim::If', [cond], [], at);
    const vals = [a, b].map((f) => {
      const block: Block = n.addBlock();
      return this.graph.withInsertPoint(block, () => {
        const v = f();
        block.registerOutput(v);
        return v;
      });
    });
    const type = unify(vals[0].type, vals[1].type);
    if (!type) throw this.error(at, `the two results are ${typeToPython(vals[0].type)} and ${typeToPython(vals[1].type)}`);
    return n.addOutput(type);
  }
}

/** A parameter default's value and the type it gives the parameter (`n = 3` is an int, `eps = 1e-5` a float). */
function literalDefault(e: any): { value: unknown; type: JitType } | null {
  const neg = e.type === 'UnaryExpression' && e.operator === '-';
  const lit = neg ? e.argument : e;
  if (lit.type !== 'Literal') return null;
  if (typeof lit.value === 'number') return { value: neg ? -lit.value : lit.value, type: /[.eE]/.test(lit.raw) || !Number.isInteger(lit.value) ? FloatT : IntT };
  if (neg) return null;
  if (typeof lit.value === 'boolean') return { value: lit.value, type: BoolT };
  if (typeof lit.value === 'string') return { value: lit.value, type: StrT };
  return null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return `a function (${v.name || 'anonymous'})`;
  if (typeof v === 'object') return `an object of class ${v.constructor?.name ?? 'Object'}`;
  return typeof v;
}
