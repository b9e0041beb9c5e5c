// Parses PyTorch operator schema strings as TorchScript prints them
// (torch/csrc/jit/frontend/function_schema_parser.cpp), e.g.
// `aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor`.
import { TorchwickError } from '../sdk/errors.js';

export type SType =
  | { kind: 'prim'; name: string } // Tensor, int, float, bool, Scalar, str, ScalarType, Device, t, Any, ...
  | { kind: 'List'; elem: SType; size?: number }
  | { kind: 'Optional'; elem: SType }
  | { kind: 'Tuple'; elems: SType[] }
  | { kind: 'Dict'; key: SType; value: SType }
  | { kind: 'Future'; elem: SType };

export interface SArg {
  name: string;
  type: SType;
  kwargOnly: boolean;
  hasDefault: boolean;
  default?: unknown; // JS value: number, boolean, string, null, number[]
  alias?: string; // 'a!' for mutated arguments
}

export interface Schema {
  text: string;
  name: string; // aten::add
  overload: string; // Tensor ('' for none)
  args: SArg[];
  returns: SArg[];
  varArgs: boolean; // `...` in the arguments
  varRet: boolean;
  mutates: boolean; // some argument is written (alias with !)
}

export class SchemaParseError extends TorchwickError {}

// Named defaults PyTorch uses for enums (at::Reduction, MemoryFormat).
const NAMED_DEFAULTS: Record<string, unknown> = { Mean: 1, Sum: 2, None: null, contiguous_format: 0, long: 4, True: true, False: false };

export function parseSchema(text: string): Schema {
  let i = 0;
  const fail = (msg: string): never => {
    throw new SchemaParseError(`${msg} at column ${i} in schema '${text}'`);
  };
  const ws = () => {
    while (text[i] === ' ') i++;
  };
  // Type names may be qualified (`__torch__.torch.classes.quantized.Conv2dPackedParamsBase`).
  const ident = (dotted = false): string => {
    ws();
    const m = (dotted ? /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/ : /^[A-Za-z_][A-Za-z0-9_]*/).exec(text.slice(i));
    if (!m) fail('expected a name');
    i += m![0].length;
    return m![0];
  };
  const eat = (s: string): boolean => {
    ws();
    if (text.startsWith(s, i)) {
      i += s.length;
      return true;
    }
    return false;
  };
  const expect = (s: string) => {
    if (!eat(s)) fail(`expected '${s}'`);
  };

  const parseType = (): { type: SType; alias?: string } => {
    ws();
    let type: SType;
    let alias: string | undefined;
    if (eat('(')) {
      const elems: SType[] = [];
      if (!eat(')')) {
        do elems.push(parseType().type);
        while (eat(','));
        expect(')');
      }
      type = { kind: 'Tuple', elems };
    } else {
      const name = ident(true);
      if ((name === 'Dict' || name === 'Future' || name === 'Tuple') && eat('(')) {
        if (name === 'Dict') {
          const key = parseType().type;
          expect(',');
          const value = parseType().type;
          expect(')');
          type = { kind: 'Dict', key, value };
        } else if (name === 'Future') {
          type = { kind: 'Future', elem: parseType().type };
          expect(')');
        } else {
          const elems: SType[] = [];
          do elems.push(parseType().type);
          while (eat(','));
          expect(')');
          type = { kind: 'Tuple', elems };
        }
      } else type = { kind: 'prim', name };
    }
    // Suffixes: alias annotation `(a!)`, `(*)`; list `[]`/`[2]`; optional `?`; in any order PyTorch allows.
    for (;;) {
      ws();
      if (text[i] === '(') {
        const end = text.indexOf(')', i);
        alias = text.slice(i + 1, end);
        i = end + 1;
      } else if (text[i] === '[') {
        const end = text.indexOf(']', i);
        const n = text.slice(i + 1, end).trim();
        type = { kind: 'List', elem: type, size: n ? Number(n) : undefined };
        i = end + 1;
      } else if (text[i] === '?') {
        type = { kind: 'Optional', elem: type };
        i++;
      } else break;
    }
    return { type, alias };
  };

  const parseDefault = (): unknown => {
    ws();
    if (text[i] === '[') {
      const end = text.indexOf(']', i);
      const inner = text.slice(i + 1, end).trim();
      i = end + 1;
      return inner ? inner.split(',').map((x) => literal(x.trim())) : [];
    }
    if (text[i] === '"' || text[i] === "'") {
      const q = text[i];
      let s = '';
      for (i++; i < text.length && text[i] !== q; i++) s += text[i] === '\\' ? text[++i] : text[i];
      if (text[i++] !== q) fail('unterminated string default');
      return s;
    }
    const m = /^[^,)]+/.exec(text.slice(i));
    if (!m) fail('expected a default value');
    i += m![0].length;
    return literal(m![0].trim());
  };

  const parseArgList = (isReturn: boolean): { args: SArg[]; varArgs: boolean } => {
    const args: SArg[] = [];
    let kwargOnly = false, varArgs = false;
    expect('(');
    if (eat(')')) return { args, varArgs };
    do {
      ws();
      if (eat('*')) {
        kwargOnly = true;
        continue;
      }
      if (eat('...')) {
        varArgs = true;
        continue;
      }
      const { type, alias } = parseType();
      ws();
      let name = '';
      if (/[A-Za-z_]/.test(text[i] ?? '')) name = ident();
      const arg: SArg = { name, type, kwargOnly, hasDefault: false, alias };
      if (!isReturn && eat('=')) {
        arg.hasDefault = true;
        arg.default = parseDefault();
      }
      args.push(arg);
    } while (eat(','));
    expect(')');
    return { args, varArgs };
  };

  const ns = ident();
  expect('::');
  const base = ident();
  let overload = '';
  if (eat('.')) overload = ident();
  const { args, varArgs } = parseArgList(false);
  expect('->');
  ws();
  let returns: SArg[] = [], varRet = false;
  if (text[i] === '(') ({ args: returns, varArgs: varRet } = parseArgList(true));
  else if (eat('...')) varRet = true;
  else {
    const ret = parseType();
    ws();
    // A single named return (`-> Tensor Y`) is allowed too.
    const name = /[A-Za-z_]/.test(text[i] ?? '') ? ident() : '';
    returns = [{ name, ...ret, kwargOnly: false, hasDefault: false }];
  }
  ws();
  if (i !== text.length) fail('unexpected text');
  const mutates = args.some((a) => a.alias?.endsWith('!'));
  return { text, name: `${ns}::${base}`, overload, args, returns, varArgs, varRet, mutates };
}

function literal(s: string): unknown {
  if (s in NAMED_DEFAULTS) return NAMED_DEFAULTS[s];
  const n = Number(s);
  if (!Number.isNaN(n) || s === 'nan') return n;
  if (s === 'inf') return Infinity;
  if (s === '-inf') return -Infinity;
  return s;
}

export function typeText(t: SType): string {
  switch (t.kind) {
    case 'prim': return t.name;
    case 'List': return `${typeText(t.elem)}[${t.size ?? ''}]`;
    case 'Optional': return `${typeText(t.elem)}?`;
    case 'Tuple': return `(${t.elems.map(typeText).join(', ')})`;
    case 'Dict': return `Dict(${typeText(t.key)}, ${typeText(t.value)})`;
    case 'Future': return `Future(${typeText(t.elem)})`;
  }
}
