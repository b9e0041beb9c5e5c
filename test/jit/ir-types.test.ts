import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AnyT, BoolT, classType, completeTensorType, dictType, FloatT, IntT, isSubtypeOf, listType, NoneT,
  optionalType, parseTypeString, ScalarT, StrT, TensorT, tensorType, tupleType, TypeParseError,
  typeEquals, typeToPython, typeToString, unify,
} from '../../src/jit/types.js';

test('graph and source spellings', () => {
  const cases: [ReturnType<typeof parseTypeString>, string, string][] = [
    [TensorT, 'Tensor', 'Tensor'],
    [completeTensorType('float32', [2, 3]), 'Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu)', 'Tensor'],
    [tensorType({ dtype: 'float32', sizes: [null, null] }), 'Float(*, *)', 'Tensor'],
    [tensorType({ dtype: 'int64', sizes: [5] }), 'Long(5)', 'Tensor'],
    [tensorType({ dtype: 'bool', sizes: [] , requiresGrad: false, device: 'cpu' }), 'Bool(requires_grad=0, device=cpu)', 'Tensor'],
    [tensorType({ dtype: 'uint8' }), 'ByteTensor', 'Tensor'],
    [tensorType({ requiresGrad: true }), 'Tensor(requires_grad=1)', 'Tensor'],
    [listType(IntT), 'int[]', 'List[int]'],
    [listType(TensorT), 'Tensor[]', 'List[Tensor]'],
    [tupleType([IntT, TensorT]), '(int, Tensor)', 'Tuple[int, Tensor]'],
    [tupleType([]), '()', 'Tuple[()]'],
    [dictType(StrT, TensorT), 'Dict(str, Tensor)', 'Dict[str, Tensor]'],
    [optionalType(FloatT), 'float?', 'Optional[float]'],
    [optionalType(listType(IntT)), 'int[]?', 'Optional[List[int]]'],
    [ScalarT, 'Scalar', 'number'],
    [NoneT, 'NoneType', 'NoneType'],
    [classType('__torch__.foo.Bar'), '__torch__.foo.Bar', '__torch__.foo.Bar'],
    [AnyT, 'Any', 'Any'],
  ];
  for (const [t, graph, source] of cases) {
    assert.is(typeToString(t), graph);
    assert.is(typeToPython(t), source);
    assert.ok(typeEquals(parseTypeString(graph), t), graph);
    assert.ok(typeEquals(parseTypeString(source), source === 'Tensor' ? TensorT : t), source);
  }
});

test('schema aliases parse to their IR types', () => {
  assert.is(parseTypeString('ScalarType').kind, 'int');
  assert.is(parseTypeString('number').kind, 'Scalar');
  assert.is(typeToString(parseTypeString('Dict[str, List[Optional[Tensor]]]')), 'Dict(str, Tensor?[])');
  assert.is(typeToString(parseTypeString('Double(3, 4, strides=[1, 3], requires_grad=1, device=cuda:0)')),
    'Double(3, 4, strides=[1, 3], requires_grad=1, device=cuda:0)');
  assert.is(typeToString(dictType(StrT, listType(completeTensorType('float32', [2])))), 'Dict(str, Tensor[])');
  assert.throws(() => parseTypeString('List[int'), (e) => e instanceof TypeParseError);
  assert.throws(() => parseTypeString('Foo'), /unknown type 'Foo'/);
});

test('subtyping', () => {
  const f23 = completeTensorType('float32', [2, 3]);
  assert.ok(isSubtypeOf(f23, TensorT));
  assert.ok(isSubtypeOf(f23, tensorType({ dtype: 'float32', sizes: [null, 3] })));
  assert.not.ok(isSubtypeOf(TensorT, f23));
  assert.not.ok(isSubtypeOf(f23, tensorType({ dtype: 'int64' })));
  assert.ok(isSubtypeOf(IntT, optionalType(IntT)));
  assert.ok(isSubtypeOf(NoneT, optionalType(TensorT)));
  assert.ok(isSubtypeOf(IntT, ScalarT));
  assert.ok(isSubtypeOf(FloatT, ScalarT));
  assert.not.ok(isSubtypeOf(BoolT, ScalarT));
  assert.not.ok(isSubtypeOf(ScalarT, IntT));
  assert.ok(isSubtypeOf(tupleType([f23, IntT]), tupleType([TensorT, ScalarT])));
  assert.not.ok(isSubtypeOf(listType(f23), listType(TensorT)), 'lists are invariant');
  assert.ok(isSubtypeOf(listType(IntT), AnyT));
});

test('unification', () => {
  assert.equal(unify(IntT, NoneT), optionalType(IntT));
  assert.equal(unify(NoneT, optionalType(IntT)), optionalType(IntT));
  assert.is(unify(IntT, FloatT), null);
  assert.equal(unify(IntT, ScalarT), ScalarT);
  const a = completeTensorType('float32', [2, 3]);
  const b = completeTensorType('float32', [2, 4]);
  assert.is(typeToString(unify(a, b)!), 'Float(2, *, requires_grad=0, device=cpu)');
  assert.is(typeToString(unify(a, completeTensorType('int64', [5]))!), 'Tensor(requires_grad=0, device=cpu)');
  assert.equal(unify(tupleType([IntT, NoneT]), tupleType([IntT, StrT])), tupleType([IntT, optionalType(StrT)]));
});

test.run();
