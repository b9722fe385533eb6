#!/usr/bin/env node
// The `meshop` executable: runs the TypeScript sources directly (Node >= 24 strips types), see ADR 0003.
import { runCli } from '../src/cli/meshop.ts';

process.exitCode = await runCli(process.argv.slice(2));
