// Memory of a process as the kernel counts it, for the benchmarks that run the operator as a process of its own.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident set size of process `pid` in MiB, from /proc (NaN when it cannot be read). */
export function rssMiB(pid: number | undefined): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** RSS in MiB of a Node process that loads nothing: the reference beside the operator's. */
export function idleNodeRssMiB(): number {
  const bytes = execFileSync(process.execPath, ['-e', 'console.log(process.memoryUsage().rss)'], {
    encoding: 'utf8',
  });
  return Number(bytes) / 2 ** 20;
}
