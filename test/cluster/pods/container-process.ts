// One container as a local process: in a private mount namespace (its volumes and service-account files mounted
// where the image expects them), with the kubelet's environment, dying with the runner, its output in a log file.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import type { Mount } from './pod-volumes.ts';

export interface ProcessSpec {
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  mounts: readonly Mount[];
  workDir: string;
  logFile: string;
}

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** The shell script run inside the new mount namespace: mounts, then exec of the program. */
export function mountScript(mounts: readonly Mount[], workDir: string): string {
  const lines = mounts.map(
    (m) => `mkdir -p ${quote(m.target)} && mount --bind ${quote(m.source)} ${quote(m.target)}`,
  );
  return [...lines, `cd ${quote(workDir)}`, 'exec "$@"'].join(' && ');
}

export function startProcess(spec: ProcessSpec): ChildProcess {
  mkdirSync(spec.workDir, { recursive: true });
  const fd = openSync(spec.logFile, 'a');
  const argv = [
    '--pdeathsig',
    'KILL',
    '--',
    'unshare',
    '--mount',
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    '-c',
    mountScript(spec.mounts, spec.workDir),
    'container',
    ...spec.argv,
  ];
  const child = spawn('setpriv', argv, { stdio: ['ignore', fd, fd], env: { ...spec.env } });
  closeSync(fd);
  return child;
}
