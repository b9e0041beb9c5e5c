// TorchScript classes and objects: a ClassInfo is what a `class X(Module):` body in `code/` says
// (typed attributes, parameters, buffers, Final constants, methods compiled on first use); a
// ScriptObject is an instance (class + attribute values); ScriptModule is the user-facing module.
import type { ClassDef, Expr, Stmt } from './frontend/ast.js';
import type { Graph, Node } from './ir.js';
import { BufferPool, withPool } from '../engine/pool.js';
import { engine } from '../engine/engine.js';
import { printGraph } from './printer.js';
import { classType, tupleType, type ClassType, type JitType } from './types.js';
import { Tensor } from '../sdk/tensor.js';
import { ScriptCompileError } from './compile/errors.js';
import { typeFromExpr } from './compile/annotations.js';
import { ScriptFunction, type CompilationUnit } from './compile/unit.js';
import { callDifferentiable, wantsGrad } from './autodiff/run.js';
import { runGraph } from './script-js/run-graph.js';
import { methodCallee } from './passes/inline-calls.js';
import { inferenceFunction } from './pipeline.js';
import { save } from './save.js';

/** A Final class constant: its JS value and declared type. */
export interface ClassConstant { value: unknown; type: JitType }

export class ClassInfo {
  readonly type: ClassType;
  readonly attributes = new Map<string, JitType>();
  readonly constants = new Map<string, ClassConstant>();
  readonly methods = new Map<string, ScriptFunction>();
  parameters: string[] = [];
  buffers: string[] = [];
  /** 'Module' for nn.Module subclasses, 'NamedTuple', or '' for plain classes. */
  base = '';
  /** NamedTuple field names, in order. */
  fields: string[] = [];

  constructor(readonly unit: CompilationUnit, readonly qualname: string, readonly file: string) {
    this.type = classType(qualname, this);
  }

  get name(): string { return this.qualname.slice(this.qualname.lastIndexOf('.') + 1); }
  get isModule(): boolean { return this.base === 'Module'; }
  method(name: string): ScriptFunction | undefined { return this.methods.get(name); }
  /** The tuple type a NamedTuple class stands for. */
  tupleType(): JitType { return tupleType(this.fields.map((f) => this.attributes.get(f)!)); }
}

const SKIPPED_CLASS_ATTRS = new Set(['__forward_pre_hooks__', '__forward_hooks__', '__backward_hooks__']);

/** Builds a class description from its AST; methods stay ASTs until first compiled. */
export function classFromAst(unit: CompilationUnit, qualname: string, def: ClassDef, file: string): ClassInfo {
  const cls = new ClassInfo(unit, qualname, file);
  const fail = (msg: string, s: { pos: { line: number; col: number } }): never => { throw new ScriptCompileError(msg, file, s.pos); };
  const bases = def.bases.map((b) => (b.kind === 'name' ? b.id : b.kind === 'attribute' ? b.attr : ''));
  cls.base = bases.find((b) => b === 'Module' || b === 'NamedTuple' || b === 'Interface' || b === 'ModuleInterface' || b === 'Enum') ?? '';
  if (bases.length && !cls.base && !bases.every((b) => b === 'object')) fail(`class ${qualname}: unsupported base class '${bases.join(', ')}'`, def);
  const typeOf = (e: Expr) => typeFromExpr(e, file, (n) => unit.resolveClassType(n, file, e));
  for (const s of def.body) {
    switch (s.kind) {
      case 'def': cls.methods.set(s.name, new ScriptFunction(unit, `${qualname}.${s.name}`, s, file, cls)); break;
      case 'annassign': declare(cls, s, typeOf, fail); break;
      case 'assign': assignClassAttr(cls, s, typeOf, fail); break;
      case 'pass': case 'expr': break;
      default: fail(`unexpected ${s.kind} statement in class body`, s);
    }
  }
  return cls;
}

function declare(cls: ClassInfo, s: Extract<Stmt, { kind: 'annassign' }>, typeOf: (e: Expr) => JitType, fail: (m: string, s: Stmt) => never): void {
  if (s.target.kind !== 'name') fail('class attribute must be a name', s);
  const name = (s.target as { id: string }).id;
  const type = typeOf(s.annotation);
  const isFinal = s.annotation.kind === 'subscript' && s.annotation.value.kind === 'name' && s.annotation.value.id === 'Final';
  if (isFinal || s.value) {
    cls.constants.set(name, { value: literalValue(s.value!, fail, s), type });
    return;
  }
  cls.attributes.set(name, type);
  if (cls.base === 'NamedTuple') cls.fields.push(name);
}

function assignClassAttr(cls: ClassInfo, s: Extract<Stmt, { kind: 'assign' }>, typeOf: (e: Expr) => JitType, fail: (m: string, s: Stmt) => never): void {
  const t = s.targets[0];
  if (t.kind === 'name') {
    if (t.id === '__parameters__') cls.parameters = strList(s.value, fail, s);
    else if (t.id === '__buffers__') cls.buffers = strList(s.value, fail, s);
    else if (!SKIPPED_CLASS_ATTRS.has(t.id)) cls.constants.set(t.id, { value: literalValue(s.value, fail, s), type: { kind: 'Any' } });
    return;
  }
  // `__annotations__["0"] = T`: an attribute whose name is not an identifier.
  if (t.kind === 'subscript' && t.value.kind === 'name' && t.value.id === '__annotations__' && t.indices[0]?.kind === 'str') {
    cls.attributes.set(t.indices[0].value, typeOf(s.value));
    return;
  }
  fail('unsupported assignment in class body', s);
}

function strList(e: Expr, fail: (m: string, s: Stmt) => never, s: Stmt): string[] {
  if (e.kind !== 'list' || !e.elts.every((x) => x.kind === 'str')) fail('expected a list of strings', s);
  return (e as { elts: { value: string }[] }).elts.map((x) => x.value);
}

/** The value of a literal in a class body (Final constants): numbers, strings, tuples, None. */
export function literalValue(e: Expr, fail: (m: string, s: Stmt) => never, s: Stmt): unknown {
  switch (e.kind) {
    case 'int': return Number(e.value);
    case 'float': case 'str': case 'bool': return e.value;
    case 'none': return null;
    case 'tuple': case 'list': return e.elts.map((x) => literalValue(x, fail, s));
    case 'unary':
      if (e.op === '-' && (e.operand.kind === 'int' || e.operand.kind === 'float')) return -Number(e.operand.value);
      break;
    case 'name':
      if (e.id === 'inf') return Infinity;
      if (e.id === 'nan') return NaN;
      break;
  }
  return fail(`unsupported constant expression (${e.kind})`, s);
}

/** An instance of a TorchScript class. Modules are ScriptModules. */
export class ScriptObject {
  readonly attrs = new Map<string, unknown>();
  constructor(readonly cls: ClassInfo) {}

  getattr(name: string): unknown {
    if (this.attrs.has(name)) return this.attrs.get(name);
    const c = this.cls.constants.get(name);
    if (c) return c.value;
    throw new ScriptCompileError(`'${this.cls.qualname}' object has no attribute '${name}'`, this.cls.file, null);
  }
  setattr(name: string, value: unknown): void { this.attrs.set(name, value); }

  /** Calls a method by name with JS values. */
  callMethod(name: string, ...args: unknown[]): any {
    const fn = this.cls.method(name);
    if (!fn) throw new ScriptCompileError(`'${this.cls.qualname}' has no method '${name}'`, this.cls.file, null);
    // Gradients wanted while training: a fused forward with a fused backward (autodiff), where the
    // graph allows. In eval mode (inference that forgot no_grad) building that plan costs more than
    // it saves: eager autograd records through the interpreter instead.
    const grad = wantsGrad([this, ...args]);
    const full = grad && this.attrs.get('training') === true ? fn.argsWithDefaults([this, ...args]) : null;
    const diff = full && callDifferentiable(fn.graph, full, (g, a) => runGraph(g, fn.qualname, a), (n) => methodCallee(n) ?? fn.unit.calleeGraph(n));
    if (diff) return diff.value;
    // No gradients: the frozen, conv-fused graph where the module is in eval mode (pipeline.ts).
    return ((grad ? null : inferenceFunction(this, fn)) ?? fn).call([this, ...args]);
  }
}

/** A loaded (or compiled) nn.Module: call `forward`, read its code, graph and parameters. */
export class ScriptModule extends ScriptObject {
  [method: string]: any;
  private pool = new BufferPool(engine().raw);

  constructor(cls: ClassInfo) {
    super(cls);
    // Every method is also callable as `m.name(...)` (PyTorch's ScriptModule attribute access).
    for (const name of cls.methods.keys()) {
      if (!(name in this)) Object.defineProperty(this, name, { value: (...args: unknown[]) => this.callMethod(name, ...args), enumerable: false });
    }
  }

  forward(...args: unknown[]): any { return this.callMethod('forward', ...args); }

  /** Runs a method with this module's buffer pool, so repeated calls reuse their intermediates. */
  callMethod(name: string, ...args: unknown[]): any {
    return withPool(this.pool, () => super.callMethod(name, ...args));
  }

  /** Frees the blocks kept for reuse between calls. */
  releaseCachedMemory(): void {
    this.pool.dispose();
    this.pool = new BufferPool(engine().raw);
  }

  /** The archive torch.jit.load reads (PyTorch's `m.save(path)`); with `path` (Node) also writes it. */
  save(path?: string): Uint8Array { return save(this, path); }

  /** The saved source of `forward` (PyTorch's `.code`). */
  get code(): string { return this.method_('forward').code; }
  /** The IR of `forward`, printed as PyTorch prints it. */
  get graph(): string { return printGraph(this.graphOf('forward')); }
  graphOf(method: string): Graph { return this.method_(method).graph; }

  get training(): boolean { return this.attrs.get('training') === true; }
  train(mode = true): this {
    for (const [, m] of this.named_modules()) m.attrs.set('training', mode);
    return this;
  }
  eval(): this { return this.train(false); }

  named_children(): [string, ScriptModule][] {
    return [...this.attrs].filter((e): e is [string, ScriptModule] => e[1] instanceof ScriptModule);
  }
  children(): ScriptModule[] { return this.named_children().map(([, m]) => m); }
  named_modules(prefix = ''): [string, ScriptModule][] {
    const out: [string, ScriptModule][] = [[prefix, this]];
    for (const [n, m] of this.named_children()) out.push(...m.named_modules(prefix ? `${prefix}.${n}` : n));
    return out;
  }
  named_parameters(prefix = ''): [string, Tensor][] { return this.namedTensors('parameters', prefix); }
  parameters(): Tensor[] { return this.named_parameters().map(([, t]) => t); }
  named_buffers(prefix = ''): [string, Tensor][] { return this.namedTensors('buffers', prefix); }
  buffers(): Tensor[] { return this.named_buffers().map(([, t]) => t); }
  /** Parameters and buffers by dotted name, in module order (PyTorch's state_dict). */
  state_dict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [prefix, m] of this.named_modules()) {
      for (const n of [...m.cls.parameters, ...m.cls.buffers]) {
        const t = m.attrs.get(n);
        if (t instanceof Tensor) out.set(prefix ? `${prefix}.${n}` : n, t);
      }
    }
    return out;
  }

  private namedTensors(which: 'parameters' | 'buffers', prefix: string): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [p, m] of this.named_modules(prefix)) {
      for (const n of m.cls[which]) {
        const t = m.attrs.get(n);
        if (t instanceof Tensor) out.push([p ? `${p}.${n}` : n, t]);
      }
    }
    return out;
  }

  private method_(name: string): ScriptFunction {
    const fn = this.cls.method(name);
    if (!fn) throw new ScriptCompileError(`'${this.cls.qualname}' has no method '${name}'`, this.cls.file, null);
    return fn;
  }
}

/** A new, empty instance of `cls` (ScriptModule for modules). */
export function createObject(cls: ClassInfo): ScriptObject {
  return cls.isModule ? new ScriptModule(cls) : new ScriptObject(cls);
}
