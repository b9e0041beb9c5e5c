// JIT types: a small discriminated union mirroring c10's Type hierarchy, with the two printed
// spellings PyTorch uses: the graph printer's (`int[]`, `(int, Tensor)`, `Dict(str, Tensor)`, `T?`)
// and TorchScript source annotations (`List[int]`, `Tuple[int, Tensor]`, `Dict[str, Tensor]`).

/** Tensor element types by torch dtype name. */
export type DType =
  | 'float32' | 'float64' | 'float16' | 'bfloat16'
  | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** c10 ScalarType names, as the graph printer spells dtypes (`Float(2, 3)`). */
const SCALAR_TYPE_NAMES: Record<DType, string> = {
  float32: 'Float', float64: 'Double', float16: 'Half', bfloat16: 'BFloat16',
  int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool',
};
const DTYPE_OF_SCALAR_TYPE = new Map(
  Object.entries(SCALAR_TYPE_NAMES).map(([d, s]) => [s, d as DType]));

export function scalarTypeName(d: DType): string {
  return SCALAR_TYPE_NAMES[d];
}

export function isFloatingDType(d: DType): boolean {
  return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
}

/** What is known about a tensor; absent fields are unknown. `sizes`/`strides` entries may be null. */
export interface TensorType {
  kind: 'Tensor';
  dtype?: DType;
  sizes?: (number | null)[];
  strides?: (number | null)[];
  requiresGrad?: boolean;
  device?: string;
}

/** Types without parameters. `Scalar` is c10's NumberType (`number` in source). */
export type AtomKind = 'int' | 'float' | 'bool' | 'str' | 'complex' | 'NoneType' | 'Device'
  | 'Scalar' | 'Any' | 'Generator' | 'Stream' | 'Storage' | 'Function';

/** A user class, e.g. `__torch__.foo.Bar`; `cls` is an optional description owned elsewhere. */
export interface ClassType { kind: 'Class'; name: string; cls?: unknown }

export type JitType =
  | TensorType
  | { kind: AtomKind }
  | { kind: 'List'; elem: JitType }
  | { kind: 'Tuple'; elems: JitType[] }
  | { kind: 'Dict'; key: JitType; value: JitType }
  | { kind: 'Optional'; elem: JitType }
  | ClassType;

const ATOMS: readonly AtomKind[] = ['int', 'float', 'bool', 'str', 'complex', 'NoneType', 'Device',
  'Scalar', 'Any', 'Generator', 'Stream', 'Storage', 'Function'];

function atom(kind: AtomKind): JitType {
  return Object.freeze({ kind });
}
export const TensorT: TensorType = Object.freeze({ kind: 'Tensor' });
export const IntT = atom('int');
export const FloatT = atom('float');
export const BoolT = atom('bool');
export const StrT = atom('str');
export const ComplexT = atom('complex');
export const NoneT = atom('NoneType');
export const DeviceT = atom('Device');
export const ScalarT = atom('Scalar');
export const AnyT = atom('Any');
/** dtypes are ints in the IR, as in PyTorch (`ScalarType` parses to `int`). */
export const ScalarTypeT = IntT;

export function tensorType(info: Omit<TensorType, 'kind'> = {}): TensorType {
  return { kind: 'Tensor', ...info };
}
/** A tensor of known dtype and sizes with contiguous strides, as the tracer records it. */
export function completeTensorType(dtype: DType, sizes: number[], device = 'cpu',
  requiresGrad = false): TensorType {
  const strides: number[] = new Array(sizes.length);
  let s = 1;
  for (let i = sizes.length - 1; i >= 0; i--) { strides[i] = s; s *= Math.max(sizes[i], 1); }
  return { kind: 'Tensor', dtype, sizes: [...sizes], strides, requiresGrad, device };
}
export function listType(elem: JitType): JitType { return { kind: 'List', elem }; }
export function tupleType(elems: JitType[]): JitType { return { kind: 'Tuple', elems }; }
export function dictType(key: JitType, value: JitType): JitType { return { kind: 'Dict', key, value }; }
export function optionalType(elem: JitType): JitType { return { kind: 'Optional', elem }; }
export function classType(name: string, cls?: unknown): ClassType {
  return cls === undefined ? { kind: 'Class', name } : { kind: 'Class', name, cls };
}

// ---------------------------------------------------------------------------------------------
// Printing

/**
 * The graph printer's spelling (c10 `operator<<(ostream, Type)`). Dict prints its key and value
 * with `Type::str()`, which spells every tensor type plain `Tensor`.
 */
export function typeToString(t: JitType, plainTensors = false): string {
  const inner = (x: JitType) => typeToString(x, plainTensors);
  switch (t.kind) {
    case 'Tensor': return plainTensors ? 'Tensor' : tensorTypeToString(t);
    case 'List': return `${inner(t.elem)}[]`;
    case 'Optional': return `${inner(t.elem)}?`;
    case 'Tuple': return `(${t.elems.map(inner).join(', ')})`;
    case 'Dict': return `Dict(${typeToString(t.key, true)}, ${typeToString(t.value, true)})`;
    case 'Class': return t.name;
    default: return t.kind;
  }
}

// Note [Tensor type printing]: the field counter `i` carries over from the sizes loop, so a 0-dim
// tensor prints `Float(requires_grad=0, device=cpu)` and an unknown rank drops the sizes list.
function tensorTypeToString(t: TensorType): string {
  let out = t.dtype ? scalarTypeName(t.dtype) : 'Tensor';
  if (t.dtype && !t.sizes) out += 'Tensor';
  const fields: string[] = [];
  if (t.sizes) {
    fields.push(...t.sizes.map((s) => (s === null ? '*' : String(s))));
    const n = t.sizes.length;
    if (n > 0 && t.strides && t.strides.length === n && t.strides.every((s) => s !== null)) {
      fields.push(`strides=[${t.strides.join(', ')}]`);
    }
  }
  if (t.requiresGrad !== undefined) fields.push(`requires_grad=${t.requiresGrad ? 1 : 0}`);
  if (t.device !== undefined) fields.push(`device=${t.device}`);
  if (t.sizes || fields.length > 0) out += `(${fields.join(', ')})`;
  return out;
}

/** The TorchScript source spelling (c10 `annotation_str`). */
export function typeToPython(t: JitType): string {
  switch (t.kind) {
    case 'Tensor': return 'Tensor';
    case 'List': return `List[${typeToPython(t.elem)}]`;
    case 'Optional': return `Optional[${typeToPython(t.elem)}]`;
    case 'Tuple': return t.elems.length ? `Tuple[${t.elems.map(typeToPython).join(', ')}]` : 'Tuple[()]';
    case 'Dict': return `Dict[${typeToPython(t.key)}, ${typeToPython(t.value)}]`;
    case 'Class': return t.name;
    case 'Scalar': return 'number';
    default: return t.kind;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

export class TypeParseError extends Error {
  constructor(message: string, readonly text: string, readonly offset: number) {
    super(`${message} at offset ${offset} in type '${text}'`);
    this.name = 'TypeParseError';
  }
}

/** Aliases that name the same type in schemas and source (`number`, `ScalarType`, `device`...). */
const ALIASES: Record<string, JitType> = {
  Tensor: TensorT, number: ScalarT, ScalarType: IntT, MemoryFormat: IntT, Layout: IntT,
  SymInt: IntT, None: NoneT, device: DeviceT, Dimname: StrT, QScheme: IntT,
};

/**
 * Reads one type starting at `pos` in `src`; returns it with the offset just past it. Accepts both
 * spellings: graph (`int[]`, `T?`, `(A, B)`, `Dict(K, V)`, `Float(2, strides=[1], ...)`) and
 * source (`List[T]`, `Optional[T]`, `Tuple[A, B]`, `Dict[K, V]`).
 */
export function parseTypeAt(src: string, pos: number): { type: JitType; end: number } {
  const p = { i: pos };
  const fail = (msg: string): never => { throw new TypeParseError(msg, src, p.i); };
  const ws = () => { while (src[p.i] === ' ') p.i++; };
  const eat = (s: string) => {
    ws();
    if (src.startsWith(s, p.i)) { p.i += s.length; return true; }
    return false;
  };
  const expect = (s: string) => { if (!eat(s)) fail(`expected '${s}'`); };
  const ident = () => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(p.i));
    if (!m) fail('expected a type name');
    p.i += m![0].length;
    return m![0];
  };
  const int = () => {
    ws();
    const m = /^-?\d+/.exec(src.slice(p.i));
    if (!m) fail('expected an integer');
    p.i += m![0].length;
    return Number(m![0]);
  };
  const list = <T>(open: string, close: string, item: () => T): T[] => {
    expect(open);
    const items: T[] = [];
    if (eat(close)) return items;
    do items.push(item()); while (eat(','));
    expect(close);
    return items;
  };

  const tensorFields = (dtype?: DType): TensorType => {
    const t: TensorType = { kind: 'Tensor' };
    if (dtype) t.dtype = dtype;
    const sizes: (number | null)[] = [];
    let sawSizes = false;
    list('(', ')', () => {
      ws();
      if (eat('*')) { sizes.push(null); sawSizes = true; return; }
      if (/[-\d]/.test(src[p.i])) { sizes.push(int()); sawSizes = true; return; }
      const key = ident();
      expect('=');
      if (key === 'strides') t.strides = list('[', ']', int);
      else if (key === 'requires_grad') t.requiresGrad = int() !== 0;
      else if (key === 'device') {
        ws();
        const m = /^[A-Za-z0-9_:]+/.exec(src.slice(p.i));
        if (!m) fail('expected a device');
        t.device = m![0];
        p.i += m![0].length;
      } else fail(`unknown tensor type field '${key}'`);
    });
    // `Float(requires_grad=0, device=cpu)` is a 0-dim tensor; `FloatTensor(...)` has unknown rank.
    if (sawSizes || dtype) t.sizes = sizes;
    return t;
  };

  const one = (): JitType => {
    ws();
    let t: JitType;
    if (src[p.i] === '(') {
      t = tupleType(list('(', ')', one));
    } else {
      const name = ident();
      if (name === 'List' || name === 'Optional') {
        expect('[');
        const elem = one();
        expect(']');
        t = name === 'List' ? listType(elem) : optionalType(elem);
      } else if (name === 'Tuple') {
        t = tupleType(eat('[()]') ? [] : list('[', ']', one));
      } else if (name === 'Dict') {
        const close = src[skipSpaces(src, p.i)] === '(' ? ')' : ']';
        const kv = list(close === ')' ? '(' : '[', close, one);
        if (kv.length !== 2) fail('Dict takes a key and a value type');
        t = dictType(kv[0], kv[1]);
      } else if (DTYPE_OF_SCALAR_TYPE.has(name) && src[p.i] === '(') {
        t = tensorFields(DTYPE_OF_SCALAR_TYPE.get(name));
      } else if (name.endsWith('Tensor') && DTYPE_OF_SCALAR_TYPE.has(name.slice(0, -6))) {
        t = tensorType({ dtype: DTYPE_OF_SCALAR_TYPE.get(name.slice(0, -6)) });
        if (src[p.i] === '(') t = { ...tensorFields(), dtype: (t as TensorType).dtype };
      } else if (name === 'Tensor' && src[p.i] === '(') {
        t = tensorFields();
      } else if (name in ALIASES) {
        t = ALIASES[name];
      } else if ((ATOMS as readonly string[]).includes(name)) {
        t = atom(name as AtomKind);
      } else if (name.includes('.')) {
        t = classType(name);
      } else {
        return fail(`unknown type '${name}'`);
      }
    }
    // Postfix `[]` and `?` (graph spelling); `Tensor(a!)` alias annotations are not types.
    for (;;) {
      if (src.startsWith('[]', p.i)) { p.i += 2; t = listType(t); } else if (src[p.i] === '?') { p.i++; t = optionalType(t); } else break;
    }
    return t;
  };
  const type = one();
  return { type, end: p.i };
}

function skipSpaces(src: string, i: number): number {
  while (src[i] === ' ') i++;
  return i;
}

/** Parses a whole type string in either spelling. */
export function parseTypeString(text: string): JitType {
  const { type, end } = parseTypeAt(text, 0);
  if (skipSpaces(text, end) !== text.length) throw new TypeParseError('unexpected text after type', text, end);
  return type;
}

// ---------------------------------------------------------------------------------------------
// Relations

export function typeEquals(a: JitType, b: JitType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'Tensor': {
      const y = b as TensorType;
      return a.dtype === y.dtype && a.requiresGrad === y.requiresGrad && a.device === y.device
        && sameDims(a.sizes, y.sizes) && sameDims(a.strides, y.strides);
    }
    case 'List': case 'Optional': return typeEquals(a.elem, (b as typeof a).elem);
    case 'Tuple': {
      const y = b as typeof a;
      return a.elems.length === y.elems.length && a.elems.every((e, i) => typeEquals(e, y.elems[i]));
    }
    case 'Dict': {
      const y = b as typeof a;
      return typeEquals(a.key, y.key) && typeEquals(a.value, y.value);
    }
    case 'Class': return a.name === (b as ClassType).name;
    default: return true;
  }
}

function sameDims(a?: (number | null)[], b?: (number | null)[]): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `a` can be used where `b` is expected (c10 `isSubtypeOf`). */
export function isSubtypeOf(a: JitType, b: JitType): boolean {
  if (b.kind === 'Any') return true;
  if (b.kind === 'Optional') {
    return a.kind === 'NoneType' || isSubtypeOf(a, b.elem)
      || (a.kind === 'Optional' && isSubtypeOf(a.elem, b.elem));
  }
  if (b.kind === 'Scalar') return a.kind === 'int' || a.kind === 'float' || a.kind === 'complex' || a.kind === 'Scalar';
  if (a.kind === 'Tensor' && b.kind === 'Tensor') return tensorRefines(a, b);
  if (a.kind === 'Tuple' && b.kind === 'Tuple') {
    return a.elems.length === b.elems.length && a.elems.every((e, i) => isSubtypeOf(e, b.elems[i]));
  }
  return typeEquals(a, b);
}

/** Every field `b` knows, `a` knows the same way. */
function tensorRefines(a: TensorType, b: TensorType): boolean {
  const field = <T>(x: T | undefined, y: T | undefined) => y === undefined || x === y;
  const dims = (x?: (number | null)[], y?: (number | null)[]) =>
    !y || (!!x && x.length === y.length && y.every((d, i) => d === null || d === x[i]));
  return field(a.dtype, b.dtype) && field(a.requiresGrad, b.requiresGrad) && field(a.device, b.device)
    && dims(a.sizes, b.sizes) && dims(a.strides, b.strides);
}

/** The least type both fit in, or null (c10 `unifyTypes`): None with T gives T?, tensors merge. */
export function unify(a: JitType, b: JitType): JitType | null {
  if (isSubtypeOf(a, b)) return b;
  if (isSubtypeOf(b, a)) return a;
  if (a.kind === 'Tensor' && b.kind === 'Tensor') return mergeTensorTypes(a, b);
  if (a.kind === 'NoneType') return b.kind === 'Optional' ? b : optionalType(b);
  if (b.kind === 'NoneType') return a.kind === 'Optional' ? a : optionalType(a);
  if (a.kind === 'Optional' || b.kind === 'Optional') {
    const e = unify(a.kind === 'Optional' ? a.elem : a, b.kind === 'Optional' ? b.elem : b);
    return e && optionalType(e);
  }
  if (a.kind === 'Tuple' && b.kind === 'Tuple' && a.elems.length === b.elems.length) {
    const elems: JitType[] = [];
    for (let i = 0; i < a.elems.length; i++) {
      const e = unify(a.elems[i], b.elems[i]);
      if (!e) return null;
      elems.push(e);
    }
    return tupleType(elems);
  }
  if (a.kind === 'List' && b.kind === 'List' && a.elem.kind === 'Tensor' && b.elem.kind === 'Tensor') {
    return listType(mergeTensorTypes(a.elem, b.elem));
  }
  return null;
}

/** Keeps what two tensor types agree on (c10 `TensorType::merge`). */
function mergeTensorTypes(a: TensorType, b: TensorType): TensorType {
  const t: TensorType = { kind: 'Tensor' };
  if (a.dtype === b.dtype && a.dtype) t.dtype = a.dtype;
  if (a.requiresGrad === b.requiresGrad && a.requiresGrad !== undefined) t.requiresGrad = a.requiresGrad;
  if (a.device === b.device && a.device !== undefined) t.device = a.device;
  const dims = (x?: (number | null)[], y?: (number | null)[]) =>
    x && y && x.length === y.length ? x.map((d, i) => (d === y[i] ? d : null)) : undefined;
  const sizes = dims(a.sizes, b.sizes);
  if (sizes) t.sizes = sizes;
  const strides = dims(a.strides, b.strides);
  if (strides) t.strides = strides;
  return t;
}
