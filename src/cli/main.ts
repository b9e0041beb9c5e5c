// Command dispatch for bin/torchwick.js. Each command is a module in src/cli/ with run(args).
// Errors print one line and exit with 2 (bad input) — never a stack trace for user mistakes.
import { TorchwickError } from '../sdk/errors.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  demo: { summary: 'run a few eager ops and print them (a first look at the engine)', load: () => import('./demo.js') },
};

function help(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: torchwick <command> [options]\n\ncommands:\n${rows.join('\n')}\n\nRun 'torchwick <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`torchwick: unknown command '${name}'\n${help()}`);
    return 2;
  }
  try {
    return await (await cmd.load()).run(args);
  } catch (e) {
    const err = e as Error;
    const known = e instanceof TorchwickError || /Error$/.test(err.name);
    console.error(`torchwick ${name}: ${known ? `${err.name}: ${err.message.split('\n')[0]}` : err.stack}`);
    return 2;
  }
}
