#!/usr/bin/env node
// The `meshop` executable: runs the TypeScript sources directly (Node >= 24 strips types), see ADR 0003.
import module from 'node:module';

// Node keeps the compiled code of every module it loads (type-stripped sources included) in a cache directory
// ($NODE_COMPILE_CACHE, else the system's temporary directory), so every run after the first starts in about
// half the CPU time (ADR 0017). Where the directory cannot be written, Node simply compiles again.
module.enableCompileCache?.();

// Imported after the cache is on: static imports would be compiled before it.
const { runCli } = await import('../src/cli/meshop.ts');

// `meshop status | head`: the reader went away; stop quietly, as Unix tools do, instead of a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2));
