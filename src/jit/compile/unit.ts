// The compilation unit: every class and free function of an archive's `code/` (or of one
// `jit.compile` source), found by qualified name and parsed on first use, as PyTorch's
// SourceImporter does. Functions compile to graphs lazily, then run in the interpreter.
import type { Def, Expr, ModuleAst } from '../frontend/ast.js';
import { parseSource } from '../frontend/parser.js';
import { unparseStmt } from '../frontend/unparse.js';
import type { Graph, Node } from '../ir.js';
import { printGraph } from '../printer.js';
import { classType, TensorT, type JitType } from '../types.js';
import { ClassInfo, classFromAst, literalValue } from '../module.js';
import { typeFromExpr } from './annotations.js';
import { ScriptCompileError } from './errors.js';
import { emitFunction } from './emitter.js';
import { runFunction } from '../runtime/interpreter.js';
import { callDifferentiable, wantsGrad } from '../autodiff/run.js';
import { methodCallee } from '../passes/inline-calls.js';
import { runGraph } from '../script-js/run-graph.js';

export interface ParamSig { name: string; type: JitType; default?: Expr; kwOnly: boolean }
export interface Signature { params: ParamSig[]; returns: JitType | null }

export class ScriptFunction {
  private sig: Signature | null = null;
  private compiled: Graph | null = null;
  private compiling = false;

  constructor(readonly unit: CompilationUnit, readonly qualname: string, readonly def: Def,
    readonly file: string, readonly owner: ClassInfo | null) {}

  get name(): string { return this.def.name; }

  /** Parameter and return types from the annotations (unannotated parameters are Tensors). */
  signature(): Signature {
    if (this.sig) return this.sig;
    const typeOf = (e: Expr) => typeFromExpr(e, this.file, (n) => this.unit.resolveClassType(n, this.file, e));
    const params = this.def.params.map((p, i): ParamSig => ({
      name: p.name,
      type: i === 0 && this.owner && !p.annotation ? this.owner.type : p.annotation ? typeOf(p.annotation) : TensorT,
      default: p.default,
      kwOnly: !!p.kwOnly,
    }));
    this.sig = { params, returns: this.def.returns ? typeOf(this.def.returns) : null };
    return this.sig;
  }

  /** The return type: annotated, or inferred by compiling the body. */
  returnType(): JitType {
    const r = this.signature().returns;
    if (r) return r;
    const outs = this.graph.outputs;
    return outs[0].type;
  }

  get graph(): Graph {
    if (!this.compiled) {
      if (this.compiling) throw new ScriptCompileError(`function '${this.qualname}' calls itself; recursion is not supported`, this.file, this.def.pos);
      this.compiling = true;
      try {
        this.compiled = emitFunction(this);
      } finally {
        this.compiling = false;
      }
    }
    return this.compiled;
  }

  /** The source as saved (PyTorch's `.code`). */
  get code(): string { return unparseStmt(this.def); }
  /** The printed graph. */
  graphText(): string { return printGraph(this.graph); }

  /** Runs the function with JS values (a method takes its object first). */
  call(args: readonly unknown[]): any {
    // Gradients wanted from a free function: its fused forward and backward (autodiff), as traced
    // and scripted functions get; where it has none, the plain run records eager autograd.
    // (Methods get theirs from ScriptObject.callMethod, in training mode only.)
    const full = !this.owner && wantsGrad(args) ? this.argsWithDefaults(args) : null;
    const diff = full && callDifferentiable(this.graph, full, (g, a) => runGraph(g, this.qualname, a), (n) => methodCallee(n) ?? this.unit.calleeGraph(n));
    return diff ? diff.value : runFunction(this, args);
  }

  /** `args` and the defaults of the parameters left out; null where one has no literal default (the run reports it). */
  argsWithDefaults(args: readonly unknown[]): unknown[] | null {
    const rest = this.signature().params.slice(args.length);
    if (rest.some((p) => !p.default)) return null;
    try {
      return [...args, ...rest.map((p) => literalValue(p.default!, (m) => { throw new Error(m); }, this.def))];
    } catch {
      return null;
    }
  }
}

const TORCHBIND_PREFIX = '__torch__.torch.classes.';

export class CompilationUnit {
  private readonly files = new Map<string, ModuleAst | null>();
  private readonly classes = new Map<string, ClassInfo>();
  private readonly functions = new Map<string, ScriptFunction>();

  /**
   * `source(path)` returns the text of `code/<path>` (e.g. `__torch__/gen_models.py`) or undefined.
   * `constants` is the archive's constant table (`CONSTANTS.cN`).
   */
  constructor(readonly source: (path: string) => string | undefined = () => undefined,
    readonly constants: readonly unknown[] = []) {}

  /** Defines every class and function of a parsed file under the qualified prefix `prefix`. */
  define(ast: ModuleAst, prefix: string): void {
    for (const s of ast.body) {
      if (s.kind === 'class') {
        const qn = `${prefix}.${s.name}`;
        if (qn.startsWith(TORCHBIND_PREFIX)) continue;
        this.classes.set(qn, classFromAst(this, qn, s, ast.file));
      } else if (s.kind === 'def') {
        const qn = `${prefix}.${s.name}`;
        this.functions.set(qn, new ScriptFunction(this, qn, s, ast.file, null));
      }
    }
  }

  /** Parses and defines `code/<a/b/c>.py` for prefix `a.b.c`; returns whether it exists. */
  private load(prefix: string): boolean {
    if (this.files.has(prefix)) return this.files.get(prefix) !== null;
    const path = `${prefix.replace(/\./g, '/')}.py`;
    const text = this.source(path);
    if (text === undefined) {
      this.files.set(prefix, null);
      return false;
    }
    const ast = parseSource(text, `code/${path}`);
    this.files.set(prefix, ast);
    this.define(ast, prefix);
    return true;
  }

  /** Eagerly parses every file the source provides (to surface syntax errors at load). */
  loadAll(paths: readonly string[]): void {
    for (const p of paths) if (p.endsWith('.py')) this.load(p.slice(0, -3).replace(/\//g, '.'));
  }

  private find<T>(qualname: string, table: Map<string, T>): T | null {
    const hit = table.get(qualname);
    if (hit) return hit;
    const dot = qualname.lastIndexOf('.');
    if (dot < 0) return null;
    this.load(qualname.slice(0, dot));
    return table.get(qualname) ?? null;
  }

  getClass(qualname: string): ClassInfo | null { return this.find(qualname, this.classes); }
  getFunction(qualname: string): ScriptFunction | null { return this.find(qualname, this.functions); }

  /** All defined functions and classes (for `jit.compile`). */
  allFunctions(): ScriptFunction[] { return [...this.functions.values()]; }
  allClasses(): ClassInfo[] { return [...this.classes.values()]; }

  /** The class named in source: qualified (`__torch__.a.B`) or bare within the unit's own file. */
  resolveClassType(name: string, file: string, at: { pos: { line: number; col: number } } | null): JitType | null {
    if (name.startsWith(TORCHBIND_PREFIX)) {
      throw new ScriptCompileError(`TorchBind class '${name}' is not supported (custom C++ classes cannot run here)`, file, at?.pos ?? null);
    }
    const cls = this.lookupClass(name);
    return cls ? cls.type : name.startsWith('__torch__.') ? classType(name) : null;
  }

  lookupClass(name: string): ClassInfo | null {
    return this.getClass(name) ?? this.getClass(`__torch__.${name}`);
  }
  /** The graph a prim::CallFunction calls (for inlining before autodiff), or null. */
  calleeGraph(n: Node): Graph | null {
    return n.kind === 'prim::CallFunction' ? this.getFunction(n.getAttr('name', 's'))?.graph ?? null : null;
  }
  lookupFunction(name: string): ScriptFunction | null {
    return this.getFunction(name) ?? this.getFunction(`__torch__.${name}`);
  }
}
