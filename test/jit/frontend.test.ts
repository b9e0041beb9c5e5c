// The frontend on real torch.jit.save output: every code/*.py of every fixture archive parses, and
// parse -> unparse -> parse gives the same AST.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { readZip } from '../../src/serialize/zip.js';
import {
  astEqual, formatFloat, parseSource, quoteString, tokenize, typeExprToString, unparse,
  type ClassDef, type Def, type Stmt,
} from '../../src/jit/frontend/index.js';

/** Every code/**.py of the fixture archives, keyed `<archive>/<path under code/>`. */
const ARCHIVES = [
  ...readdirSync('../shared/fixtures/torchscript').filter((f) => f.endsWith('.pt')).map((f) => `../shared/fixtures/torchscript/${f}`),
  '../shared/fixtures/training/train_small.initial.pt',
];
const sources = new Map<string, string>();
for (const archive of ARCHIVES) {
  const zip = readZip(new Uint8Array(readFileSync(archive)));
  const name = archive.split('/').pop()!.replace(/\.pt$/, '');
  for (const entry of zip.names()) {
    const m = /\/code\/(.*\.py)$/.exec(entry);
    if (m) sources.set(`${name}/${m[1]}`, new TextDecoder().decode(zip.read(entry)));
  }
}
const files = [...sources.keys()].sort().map((path) => ({ path, text: sources.get(path)! }));

function classOf(path: string, name: string): ClassDef {
  const m = parseSource(sources.get(path)!, path);
  const c = m.body.find((s): s is ClassDef => s.kind === 'class' && s.name === name);
  assert.ok(c, `class ${name} in ${path}`);
  return c;
}

function method(c: ClassDef, name: string): Def {
  const d = c.body.find((s): s is Def => s.kind === 'def' && s.name === name);
  assert.ok(d, `method ${name} of ${c.name}`);
  return d;
}

test('the fixture archives hold all their sources', () => {
  // 11 archives; Mask R-CNN alone has dozens of files.
  assert.ok(files.length >= 400, `${files.length} files`);
  assert.ok(files.some((f) => f.path.includes('maskrcnn_tiny_scripted') && f.path.endsWith('roi_heads.py')));
});

test('every fixture source parses', () => {
  for (const f of files) {
    const m = parseSource(f.text, f.path);
    assert.ok(m.body.length > 0, f.path);
  }
});

test('parse -> unparse -> parse is the identity on every fixture source', () => {
  for (const f of files) {
    const a = parseSource(f.text, f.path);
    const printed = unparse(a);
    const b = parseSource(printed, f.path);
    assert.ok(astEqual(a, b), `round trip changed ${f.path}`);
    // The printer is deterministic: printing the reparsed AST gives the same text.
    assert.is(unparse(b), printed, f.path);
  }
});

test('round trip keeps the statement count of every function', () => {
  const count = (body: Stmt[]): number =>
    body.reduce((n, s) => n + 1 + ('body' in s ? count(s.body) : 0) + (s.kind === 'if' ? count(s.orelse) : 0), 0);
  for (const f of files) {
    const a = parseSource(f.text, f.path);
    assert.is(count(parseSource(unparse(a), f.path).body), count(a.body), f.path);
  }
});

test('a Mask R-CNN class: attributes, parameters, methods and signature', () => {
  const rpn = classOf('maskrcnn_tiny_scripted/__torch__/torchvision/models/detection/rpn.py', 'RegionProposalNetwork');
  assert.equal(rpn.bases.map((b) => typeExprToString(b)), ['Module']);
  const attrs = new Map(rpn.body.flatMap((s) =>
    s.kind === 'annassign' && s.target.kind === 'name' ? [[s.target.id, typeExprToString(s.annotation)]] : []));
  assert.is(attrs.get('training'), 'bool');
  assert.is(attrs.get('_is_full_backward_hook'), 'NoneType');
  assert.is(attrs.get('_pre_nms_top_n'), 'Dict[str, int]');
  assert.is(attrs.get('box_coder'), '__torch__.torchvision.models.detection._utils.BoxCoder');
  const params = rpn.body[0];
  assert.is(params.kind, 'assign');
  const forward = method(rpn, 'forward');
  assert.equal(forward.params.map((p) => p.name), ['self', 'images', 'features', 'targets']);
  assert.is(typeExprToString(forward.params[3].annotation!), 'Optional[List[Dict[str, Tensor]]]');
  assert.is(forward.params[3].default?.kind, 'none');
  assert.is(typeExprToString(forward.returns!), 'Tuple[List[Tensor], Dict[str, Tensor]]');
  // `objectness, pred_bbox_deltas, = (head).forward(features0, )` unpacks a tuple.
  const unpack = forward.body.find((s) => s.kind === 'assign' && s.targets[0].kind === 'tuple');
  assert.ok(unpack && unpack.kind === 'assign');
  const target = unpack.targets[0];
  assert.ok(target.kind === 'tuple' && target.elts.length === 2);
  assert.is(unpack.value.kind, 'call');
});

test('the control-flow fixture: for, if/else, while and tuple assignment', () => {
  const cf = classOf('control_flow_scripted/__torch__/gen_models.py', 'ControlFlow');
  const kinds = method(cf, 'forward').body.map((s) => s.kind);
  assert.equal(kinds, ['assign', 'assign', 'for', 'assign', 'assign', 'assign', 'while', 'assign', 'return']);
});

test('Final constants and __annotations__ entries in class bodies', () => {
  const all = files.flatMap((f) => parseSource(f.text, f.path).body)
    .flatMap((s) => (s.kind === 'class' ? s.body : []));
  const finals = all.filter((s) => s.kind === 'annassign' && s.annotation.kind === 'subscript'
    && typeExprToString(s.annotation).startsWith('Final['));
  assert.ok(finals.length > 0);
  assert.ok(finals.every((s) => s.kind === 'annassign' && s.value !== undefined));
  const ann = all.filter((s) => s.kind === 'assign' && s.targets[0].kind === 'subscript'
    && s.targets[0].value.kind === 'name' && s.targets[0].value.id === '__annotations__');
  assert.ok(ann.length > 0, '__annotations__["0"] = T lines');
});

test('formatFloat reproduces every float literal PyTorch printed', () => {
  let n = 0;
  for (const f of files) {
    for (const t of tokenize(f.text, f.path)) {
      if (t.kind !== 'float') continue;
      assert.is(formatFloat(Number(t.text)), t.text, f.path);
      n++;
    }
  }
  assert.ok(n > 100, `${n} floats`);
});

test('quoteString reproduces every string literal PyTorch printed', () => {
  let n = 0;
  for (const f of files) {
    for (const raw of f.text.match(/"(?:[^"\\\n]|\\.)*"/g) ?? []) {
      const [tok] = tokenize(raw, f.path);
      assert.is(quoteString(tok.text), raw, f.path);
      n++;
    }
  }
  assert.ok(n > 100, `${n} strings`);
});

test.run();
