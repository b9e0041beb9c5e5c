// Statements and whole functions: assignments (names, tuples, attributes, subscripts), raise,
// assert, del, and `emitFunction`, which emits a ScriptFunction's body into a fresh graph.
import type * as A from '../frontend/ast.js';
import { Graph, type Value } from '../ir.js';
import { isSubtypeOf, typeToPython } from '../types.js';
import { dottedName } from './annotations.js';
import { RETURN_VAR, Scope, structureExits, type Sugared } from './scope.js';
import type { ScriptFunction } from './unit.js';
import { BINARY_OPS } from './emit-expressions.js';
import { ControlEmitter } from './emit-control.js';
import { settlePending } from '../pending-type.js';

export function emitFunction(fn: ScriptFunction): Graph {
  return new Emitter(fn).run();
}

class Emitter extends ControlEmitter {
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

  protected stmt(s: A.Stmt, scope: Scope): void {
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

  protected raiseMessage(e: A.Expr, scope: Scope): Value[] {
    if (e.kind === 'call') {
      const cls = dottedName(e.func) ?? 'Exception';
      const msg = e.args.length ? this.value(e.args[0], scope) : this.const('');
      return [msg, this.const(`builtins.${cls}`)];
    }
    return [this.const(dottedName(e) ?? 'Exception'), this.const(null)];
  }

  protected assertStmt(s: A.Assert, scope: Scope): void {
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

  protected delStmt(s: A.Del, scope: Scope): void {
    for (const t of s.targets) {
      if (t.kind !== 'subscript') this.fail('del only supports subscripts');
      const base = this.value(t.value, scope);
      this.op('aten::Delete', [base, this.value(t.indices[0], scope)]);
    }
  }

  /** `a, b = x, y` with a tuple literal on the right: emitted element-wise, no tuple built. */
  protected assignTuple(target: A.Expr, value: A.Expr, scope: Scope): boolean {
    if ((target.kind !== 'tuple' && target.kind !== 'list') || value.kind !== 'tuple' || target.elts.length !== value.elts.length) return false;
    const vs = value.elts.map((e) => this.expr(e, scope));
    target.elts.forEach((t, i) => this.assign(t, vs[i], scope));
    return true;
  }

  protected assign(t: A.Expr, s: Sugared, scope: Scope): void {
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

  protected assignSubscript(t: A.Subscript, v: Value, scope: Scope): void {
    const base = this.value(t.value, scope);
    if (base.type.kind === 'Tensor') {
      const view = this.tensorIndex(base, t.indices, scope);
      if (v.type.kind === 'Tensor') this.op('aten::copy_', [view, v]);
      else this.op('aten::fill_', [view, v]);
      return;
    }
    this.op('aten::_set_item', [base, this.value(t.indices[0], scope), v]);
  }

  protected augAssign(s: A.AugAssign, scope: Scope): void {
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
}
