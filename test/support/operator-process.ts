// The operator as a real process (the shipped dist/js/main.js), for tests that kill it or run two of them.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { operatorNodeFlags } from '../../src/operator/node-flags.ts';
import { shippedOperator } from './shipped.ts';

export interface OperatorProcess {
  child: ChildProcess;
  /** stdout and stderr so far (JSON log lines). */
  output(): string;
  exited: Promise<number | null>;
}

export function startOperatorProcess(
  kubeconfig: string,
  artifactsRoot: string,
  leaderElect = true,
  /** More flags; a flag given here again wins over the one above (e.g. a fixed metrics address). */
  extraArgs: readonly string[] = [],
): OperatorProcess {
  const args = [
    shippedOperator(),
    '--kubeconfig',
    kubeconfig,
    '--health-probe-bind-address',
    '0',
    // Two may run at once: no fixed port.
    '--metrics-bind-address',
    '0',
    '--istio-artifacts',
    artifactsRoot,
  ];
  if (leaderElect) args.push('--leader-elect', '--leader-election-namespace', 'meshop-system');
  args.push(...extraArgs);
  const child = spawn(process.execPath, [...operatorNodeFlags, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, output: () => text, exited };
}
