// Starting and stopping the control-plane processes. Each runs in its own process group (so a stop reaches
// everything it forked) and, for test clusters, under `setpriv --pdeathsig KILL` so the kernel kills it when the
// test process dies without cleaning up. Only PIDs this launcher recorded are ever signalled.
import { spawn } from 'node:child_process';
import { openSync, closeSync, writeFileSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Component {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<string>;
}

export interface LaunchOptions {
  dir: string;
  name: string;
  binary: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Kill the process when its parent dies (test clusters); off for `make cluster-up`, whose launcher exits. */
  dieWithParent: boolean;
}

export function launch(opts: LaunchOptions): Component {
  const logFile = join(opts.dir, 'logs', `${opts.name}.log`);
  const fd = openSync(logFile, 'a');
  const [cmd, args] = opts.dieWithParent
    ? ['setpriv', ['--pdeathsig', 'KILL', '--', opts.binary, ...opts.args]]
    : [opts.binary, opts.args];
  const child = spawn(cmd, args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: opts.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: opts.dir },
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${opts.name} (${opts.binary})`);
  const pid = child.pid;
  // Numbered in start order, so a later stop can go in reverse.
  const order = String(readdirSync(join(opts.dir, 'pids')).length).padStart(2, '0');
  writeFileSync(join(opts.dir, 'pids', `${order}-${opts.name}`), String(pid));
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve(signal ?? `exit code ${String(code)}`);
    });
  });
  child.unref();
  return { name: opts.name, pid, logFile, exited };
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** SIGTERM the process group, wait up to `graceMs`, then SIGKILL it. */
export async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!pidAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  if (await waitGone(pid, graceMs)) return;
  signalGroup(pid, 'SIGKILL');
  await waitGone(pid, 5_000);
}

/**
 * The PIDs recorded in a cluster directory, in start order, that still belong to it: a recycled PID now running something else
 * does not name the directory on its command line, and is left alone.
 */
export function recordedPids(dir: string): number[] {
  const pidsDir = join(dir, 'pids');
  if (!existsSync(pidsDir)) return [];
  const pids: number[] = [];
  for (const name of readdirSync(pidsDir).sort()) {
    const pid = Number(readFileSync(join(pidsDir, name), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && cmdlineMentions(pid, dir)) pids.push(pid);
  }
  return pids;
}

function cmdlineMentions(pid: number, text: string): boolean {
  try {
    return readFileSync(`/proc/${String(pid)}/cmdline`, 'utf8').includes(text);
  } catch {
    return false;
  }
}
