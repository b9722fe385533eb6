#!/usr/bin/env node
// The `meshop` executable: runs the TypeScript sources directly (Node >= 24 strips types), see ADR 0003.
import { runCli } from '../src/cli/meshop.ts';

// `meshop status | head`: the reader went away; stop quietly, as Unix tools do, instead of a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2));
