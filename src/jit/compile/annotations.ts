// Type annotations (AST expressions such as `Optional[List[Tensor]]`) to JIT types, as PyTorch's
// script_type_parser.cpp reads them. Class names resolve through the compilation unit.
import type { Expr } from '../frontend/ast.js';
import {
  AnyT, BoolT, DeviceT, FloatT, IntT, NoneT, ScalarT, StrT, TensorT, dictType, listType, optionalType, tupleType,
  type JitType,
} from '../types.js';
import { ScriptCompileError } from './errors.js';

const NAMED: Record<string, JitType> = {
  Tensor: TensorT, int: IntT, float: FloatT, bool: BoolT, str: StrT, None: NoneT, NoneType: NoneT,
  Any: AnyT, number: ScalarT, Device: DeviceT, device: DeviceT, ScalarType: IntT, Layout: IntT,
  MemoryFormat: IntT, Generator: { kind: 'Generator' }, Storage: { kind: 'Storage' },
};

/** Dotted name of a name/attribute chain (`__torch__.a.B`), or null. */
export function dottedName(e: Expr): string | null {
  if (e.kind === 'name') return e.id;
  if (e.kind === 'attribute') {
    const base = dottedName(e.value);
    return base === null ? null : `${base}.${e.attr}`;
  }
  return null;
}

/**
 * `resolveClass(name)` returns the type of a class named in source (qualified or, for
 * `jit.compile`, bare), or null. `Final[T]` reads as T (the caller records finality).
 */
export function typeFromExpr(e: Expr, file: string, resolveClass: (name: string) => JitType | null): JitType {
  const fail = (msg: string): never => { throw new ScriptCompileError(msg, file, e.pos); };
  const rec = (x: Expr) => typeFromExpr(x, file, resolveClass);
  if (e.kind === 'none') return NoneT;
  if (e.kind === 'str') return rec({ kind: 'name', id: e.value, pos: e.pos });
  if (e.kind === 'subscript') {
    const head = dottedName(e.value)?.replace(/^(typing|torch\.jit)\./, '');
    const args = e.indices;
    const one = () => (args.length === 1 ? rec(args[0]) : fail(`${head}[...] takes one type`));
    switch (head) {
      case 'List': return listType(one());
      case 'Optional': return optionalType(one());
      case 'Final': return one();
      case 'Tuple': return tupleType(args.length === 1 && args[0].kind === 'tuple' && args[0].elts.length === 0 ? [] : args.map(rec));
      case 'Dict':
        if (args.length !== 2) fail('Dict[...] takes a key and a value type');
        return dictType(rec(args[0]), rec(args[1]));
      case 'Union': {
        // Optional spelled as Union[T, None]; other unions are kept as Any.
        const ts = args.map(rec);
        const rest = ts.filter((t) => t.kind !== 'NoneType');
        return rest.length === 1 && ts.length === 2 ? optionalType(rest[0]) : AnyT;
      }
    }
    return fail(`unknown type constructor '${head}'`);
  }
  const name = dottedName(e);
  if (name === null) return fail(`expected a type, found a ${e.kind} expression`);
  const bare = name.replace(/^(typing|torch)\./, '');
  if (Object.hasOwn(NAMED, bare)) return NAMED[bare];
  const cls = resolveClass(name);
  if (cls) return cls;
  return fail(`unknown type '${name}'`);
}
