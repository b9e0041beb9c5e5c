#!/usr/bin/env node
// The torchwick command line: `torchwick <command> [args]`; `torchwick --help` lists commands.
import { main } from '../build/js/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
