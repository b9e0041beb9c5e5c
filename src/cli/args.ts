// User input to the CLI: an argv parser (positionals, repeatable `--flag value` in order, boolean
// switches) and user-named files. Mistakes are UsageErrors: one line, exit code 2.
import { existsSync, readFileSync, statSync } from 'node:fs';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** Options that take a value (`--input a.npy`); the rest are switches. */
  values: readonly string[];
  switches: readonly string[];
}

export interface ParsedArgs {
  positional: string[];
  /** Every `--name value` in command-line order (forward's arguments keep their order). */
  ordered: { name: string; value: string }[];
  switches: Set<string>;
  /** The last value given for `name`. */
  get(name: string): string | undefined;
  all(name: string): string[];
}

export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const positional: string[] = [];
  const ordered: { name: string; value: string }[] = [];
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (spec.switches.includes(name)) {
      switches.add(name);
    } else if (spec.values.includes(name)) {
      const value = eq < 0 ? argv[++i] : a.slice(eq + 1);
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      ordered.push({ name, value });
    } else {
      throw new UsageError(`unknown option '${a}'`);
    }
  }
  return {
    positional,
    ordered,
    switches,
    get: (name) => ordered.filter((o) => o.name === name).at(-1)?.value,
    all: (name) => ordered.filter((o) => o.name === name).map((o) => o.value),
  };
}

/** An integer option with a default and a lower bound. */
export function intOption(args: ParsedArgs, name: string, dflt: number, min: number): number {
  const s = args.get(name);
  if (s === undefined) return dflt;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${s}'`);
  return n;
}

/** A file the user named: it must exist and be a file. */
export function readUserFile(path: string, what: string): Uint8Array {
  if (!existsSync(path)) throw new UsageError(`${what} '${path}' does not exist`);
  if (!statSync(path).isFile()) throw new UsageError(`${what} '${path}' is not a file`);
  return readFileSync(path);
}
