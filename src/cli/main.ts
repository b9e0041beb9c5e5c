// Command dispatch for bin/torchwick.js. Each command is a module in src/cli/ with run(args).
// Errors print one line and exit with 2 (bad input) — never a stack trace for user mistakes.
import { readFileSync } from 'node:fs';
import { TorchwickError } from '../sdk/errors.js';
import { init } from '../engine/engine.js';
import { readUserFile, UsageError } from './args.js';

interface Command { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }

const COMMANDS: Record<string, Command> = {
  run: { summary: 'run a TorchScript model on .npy inputs or an image', load: () => import('./run.js') },
  info: { summary: 'classes, methods, parameters and ops of a model, and what is unsupported', load: () => import('./info.js') },
  graph: { summary: 'print the IR of a model\'s forward', load: () => import('./graph.js') },
  bench: { summary: 'time loading, the first run and steady-state runs', load: () => import('./bench.js') },
  demo: { summary: 'run a few eager ops and print them (a first look at the engine)', load: () => import('./demo.js') },
};

function help(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: torchwick [--wasm FILE] <command> [options]\n\ncommands:\n${rows.join('\n')}\n\n`
    + `  --wasm FILE  use this engine build instead of the torchwick.wasm beside the library\n\n`
    + `Run 'torchwick <command> --help' for a command's options.`;
}

function version(): string {
  return JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')).version;
}

export async function main(argv: string[]): Promise<number> {
  let name = argv[0];
  let args = argv.slice(1);
  try {
    if (name === '--wasm') {
      if (!args[0]) throw new UsageError('--wasm needs a file');
      await init(readUserFile(args[0], 'engine'));
      [name, ...args] = args.slice(1);
    }
    if (name === '--version') {
      console.log(version());
      return 0;
    }
    if (!name || name === '--help' || name === '-h') {
      console.log(help());
      return name ? 0 : 2;
    }
    const cmd = COMMANDS[name];
    if (!cmd) throw new UsageError(`unknown command '${name}' (see 'torchwick --help')`);
    return await (await cmd.load()).run(args);
  } catch (e) {
    console.error(`torchwick${name && COMMANDS[name] ? ` ${name}` : ''}: ${describe(e)}`);
    return 2;
  }
}

// The engine's and the jit's errors are named classes; a plain JS error is a bug in torchwick.
const JS_ERRORS = new Set(['Error', 'TypeError', 'ReferenceError', 'RangeError', 'SyntaxError']);

/** One line for user mistakes and typed errors; a stack only for bugs. */
function describe(e: unknown): string {
  const err = e as Error;
  if (e instanceof UsageError || (e as Error)?.name === 'UnsupportedOpsError') return err.message;
  const known = e instanceof TorchwickError || (/Error$/.test(err?.name ?? '') && !JS_ERRORS.has(err.name));
  return known ? `${err.name}: ${err.message.split('\n')[0]}` : String(err?.stack ?? e);
}
