// The real `meshop` executable as a child process against a cluster's kubeconfig: exit code, stdout and stderr,
// collected without blocking the test's event loop (informers, eventually() keep running meanwhile).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { shippedCli } from './shipped.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runMeshop(kubeconfig: string, args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // Only what the CLI needs from the environment: no KUBECONFIG of the machine leaks in.
    const child = spawn(process.execPath, [shippedCli(), '--kubeconfig', kubeconfig, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** The CLI's promise for errors: exactly one line on stderr, starting with "meshop: ". */
export function assertOneErrorLine(r: CliRun): void {
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
  assert.match(r.stderr, /^meshop: /);
}
