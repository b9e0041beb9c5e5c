// Seeded fuzzing of the archive loader, pickle reader, TorchScript front end and compiler: mutated
// small fixture archives must load or fail with a typed error, loaded ones must compile and run or
// fail with a typed error, and the engine must be usable, with no memory left behind, afterwards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { jit, ScriptModule, ScriptObject } from '../../src/jit/index.js';
import { readZip, writeZip } from '../../src/serialize/index.js';
import { tensorFromNpy } from '../../src/sdk/npy.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { engine } from '../../src/engine/engine.js';
import { torch } from '../../src/index.js';
import { rng } from '../serialize/helpers.js';

const DIR = '../shared/fixtures/torchscript/';
const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const PER_ARCHIVE = Number(process.env.FUZZ_N ?? 1000);
const ARCHIVES: Record<string, unknown[]> = {
  loop_scripted: ['loop_scripted.input0.npy'],
  loop_traced: ['loop_traced.input0.npy'],
  iou_traced: Array.from({ length: 8 }, (_, k) => `iou_traced.input${k}.npy`),
  control_flow_scripted: ['control_flow_scripted.input0.npy', 3],
};

interface Mutation { bytes: Uint8Array; what: string; codeChanged: boolean; source?: string }

class Mutator {
  private readonly names: string[];
  private readonly records: Map<string, Uint8Array>;

  constructor(private readonly original: Uint8Array, private readonly rand: () => number) {
    const zip = readZip(original);
    this.names = zip.names();
    this.records = new Map(this.names.map((n) => [n, zip.read(n).slice()]));
  }

  private int(n: number): number { return Math.floor(this.rand() * n); }
  private pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }

  next(): Mutation {
    const r = this.rand();
    if (r < 0.15) return this.flipArchive();
    if (r < 0.25) return { bytes: this.original.subarray(0, this.int(this.original.length)), what: 'truncate archive', codeChanged: false };
    if (r < 0.3) return this.reshuffleEntries();
    return this.mutateEntry();
  }

  private flipArchive(): Mutation {
    const b = this.original.slice();
    const n = 1 + this.int(4);
    for (let i = 0; i < n; i++) b[this.int(b.length)] = this.int(256);
    return { bytes: b, what: `flip ${n} archive bytes`, codeChanged: false };
  }

  private reshuffleEntries(): Mutation {
    const name = this.pick(this.names);
    const op = this.int(3);
    const entries = this.names.flatMap((n) => {
      const e = { name: n, data: this.records.get(n)! };
      if (n !== name) return [e];
      return op === 0 ? [] : op === 1 ? [{ name: `${n}x`, data: e.data }] : [e, { name: n.replace('archive/', 'other/'), data: e.data }];
    });
    return { bytes: writeZip(entries), what: `${['drop', 'rename', 'add a second folder for'][op]} ${name}`, codeChanged: false };
  }

  /** A record's content mutated, the archive re-zipped with valid CRCs so the mutation reaches the readers. */
  private mutateEntry(): Mutation {
    // Weighted toward the records with structure: pickles, code, version.
    const weighted = this.names.filter((n) => !n.endsWith('.debug_pkl'));
    const interesting = weighted.filter((n) => /data\.pkl$|constants\.pkl$|\.py$|version$/.test(n));
    const name = this.rand() < 0.8 ? this.pick(interesting) : this.pick(weighted);
    const before = this.records.get(name)!;
    const isCode = name.endsWith('.py');
    const [after, how] = isCode && this.rand() < 0.6 ? this.mutateText(before) : this.mutateBytes(before);
    const entries = this.names.map((n) => ({ name: n, data: n === name ? after : this.records.get(n)! }));
    return {
      bytes: writeZip(entries), what: `${how} in ${name}`, codeChanged: isCode,
      source: isCode ? new TextDecoder().decode(after) : undefined,
    };
  }

  private mutateBytes(b: Uint8Array): [Uint8Array, string] {
    const at = this.int(b.length + 1);
    switch (this.int(5)) {
      case 0: {
        const c = b.slice();
        const n = 1 + this.int(3);
        for (let i = 0; i < n && c.length; i++) c[this.int(c.length)] = this.int(256);
        return [c, `flip ${n} bytes`];
      }
      case 1: return [b.subarray(0, at), `truncate at ${at}`];
      case 2: return [Uint8Array.from([...b.subarray(0, at), this.int(256), ...b.subarray(at)]), `insert a byte at ${at}`];
      case 3: return [Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]), `delete byte ${at}`];
      default: {
        const len = 1 + this.int(16);
        return [Uint8Array.from([...b.subarray(0, at), ...b.subarray(at, at + len), ...b.subarray(at)]), `repeat ${len} bytes at ${at}`];
      }
    }
  }

  /** Source-level edits that keep most of the file parseable, to reach the compiler and interpreter. */
  private mutateText(b: Uint8Array): [Uint8Array, string] {
    const lines = new TextDecoder().decode(b).split('\n');
    const i = this.int(lines.length);
    let how: string;
    switch (this.int(6)) {
      case 0: lines.splice(i, 1); how = `delete line ${i + 1}`; break;
      case 1: lines.splice(i, 0, lines[this.int(lines.length)]); how = `duplicate a line at ${i + 1}`; break;
      case 2: lines[i] = lines[i].replace(/\d/, () => String(this.int(10))); how = `change a digit on line ${i + 1}`; break;
      case 3: lines[i] = lines[i].replace(/^ {2}/, () => (this.rand() < 0.5 ? '' : '    ')); how = `reindent line ${i + 1}`; break;
      case 4: {
        const words = lines.join('\n').match(/[A-Za-z_]\w*/g) ?? ['x'];
        lines[i] = lines[i].replace(/[A-Za-z_]\w*/, this.pick(words));
        how = `swap an identifier on line ${i + 1}`;
        break;
      }
      default: {
        const tokens = ['(', ')', ',', ':', '[', ']', '=', '.', 'None', '-1', '1.5', '"s"', 'self', 'Tensor', 'List[int]'];
        const at = this.int(lines[i].length + 1);
        lines[i] = lines[i].slice(0, at) + this.pick(tokens) + lines[i].slice(at);
        how = `insert a token on line ${i + 1}`;
      }
    }
    return [new TextEncoder().encode(lines.join('\n')), how];
  }
}

/** Engine-free JS errors (TypeError, RangeError, plain Error...) mean a bug; typed errors are refusals. */
const UNTYPED = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError']);
function isTyped(e: unknown): boolean {
  return e instanceof Error && !UNTYPED.has(e.constructor.name) && !UNTYPED.has(e.name);
}

/** Disposes every tensor a loaded module holds (attributes, submodules, constants) and its buffer pools. */
function disposeModule(m: ScriptModule): void {
  for (const [, sub] of m.named_modules()) sub.releaseCachedMemory();
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (seen.has(v)) return;
    seen.add(v);
    if (v instanceof Tensor) v.dispose();
    else if (v instanceof ScriptObject) v.attrs.forEach(visit);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v instanceof Map) v.forEach((x, k) => { visit(k); visit(x); });
  };
  visit(m);
  m.cls.unit.constants.forEach(visit);
}

function disposeOutput(v: unknown, inputs: unknown[]): void {
  if (v instanceof Tensor && !inputs.includes(v)) v.dispose();
  else if (Array.isArray(v)) v.forEach((x) => disposeOutput(x, inputs));
}

/** Compiles every method of every class the module's unit holds (what forward would compile lazily). */
function compileAll(m: ScriptModule): void {
  for (const cls of m.cls.unit.allClasses()) for (const fn of cls.methods.values()) void fn.graph;
}

test(`fuzz: ${PER_ARCHIVE} seeded mutations of each small archive give typed errors or working modules`, () => {
  const rand = rng(SEED);
  const startBytes = engine().stats().bytesLive;
  const inputs = Object.fromEntries(Object.entries(ARCHIVES).map(([name, args]) => [name,
    args.map((a) => (typeof a === 'string' ? tensorFromNpy(new Uint8Array(readFileSync(DIR + a))) : a))]));
  const failures: string[] = [];
  const counts = { refused: 0, loaded: 0, ran: 0, runRefused: 0 };
  let slowest = { ms: 0, what: '' };
  for (const [name, args] of Object.entries(inputs)) {
    const mutator = new Mutator(new Uint8Array(readFileSync(`${DIR}${name}.pt`)), rand);
    for (let i = 0; i < PER_ARCHIVE; i++) {
      const mut = mutator.next();
      const label = `${name} #${i} (${mut.what})`;
      const t0 = performance.now();
      const bytesBefore = engine().stats().bytesLive;
      let m: ScriptModule | null = null;
      try {
        m = jit.loadBytes(mut.bytes);
        counts.loaded++;
      } catch (e) {
        if (isTyped(e)) counts.refused++;
        else failures.push(`${label}: load threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
      }
      if (m) {
        try {
          compileAll(m);
          // A code edit can make a while loop endless (as in PyTorch): those are compiled, not run.
          if (!(mut.codeChanged && /\bwhile\b/.test(mut.source ?? ''))) {
            disposeOutput(torch.no_grad(() => m!.forward(...args)), args);
          }
          counts.ran++;
        } catch (e) {
          if (isTyped(e)) counts.runRefused++;
          else failures.push(`${label}: forward threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
        }
        disposeModule(m);
      }
      const leaked = engine().stats().bytesLive - bytesBefore;
      if (leaked) failures.push(`${label}: ${leaked} bytes left allocated`);
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, what: label };
    }
  }
  console.log(`  fuzz seed ${SEED}: ${JSON.stringify(counts)}; slowest ${slowest.ms.toFixed(0)} ms: ${slowest.what}`);
  assert.equal(failures.slice(0, 20), [], `${failures.length} untyped failures`);
  assert.ok(counts.refused > 0 && counts.loaded > 0 && counts.ran > 0, 'the mutations reach every stage');
  // No mutation hung (an endless loop would never get here); a generous bound, not a benchmark.
  assert.ok(slowest.ms < 5000, `slowest case took ${slowest.ms} ms: ${slowest.what}`);
  for (const args of Object.values(inputs)) for (const a of args) if (a instanceof Tensor) a.dispose();
  const x = torch.tensor([1, 2, 3]);
  const y = torch.add(x, x);
  assert.equal(Array.from(y.dataSync(), Number), [2, 4, 6], 'the engine still computes');
  x.dispose();
  y.dispose();
  assert.is(engine().stats().bytesLive, startBytes, 'every byte the fuzzed loads allocated was freed');
});

test.run();
