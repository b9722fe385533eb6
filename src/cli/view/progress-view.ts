// What a progress view is told by the wait loop: every snapshot with what changed in it, then the end. The
// plain view prints lines, the live one redraws a task list on a terminal; the outcome is decided elsewhere.
import { formatDuration } from '../duration.ts';
import type { ProgressSnapshot, Transition } from './mesh-progress.ts';

export interface WaitResult {
  ok: boolean;
  /** `ready`, or why not: the failing component's message, or the timeout. */
  message: string;
  elapsedMs: number;
}

export interface ProgressView {
  update(snapshot: ProgressSnapshot, changes: readonly Transition[], elapsedMs: number): void;
  /** Resolves once the view's last output is written. */
  finish(result: WaitResult): Promise<void>;
}

/** One plain line per change: `[3.2s] pilot: applying (Deployment istio-system/istiod: readyReplicas 0/1)`. */
export function transitionLine(t: Transition): string {
  const detail = t.message === '' ? '' : ` (${t.message})`;
  return `[${formatDuration(t.elapsedMs)}] ${t.name}: ${t.state}${detail}`;
}

/** For logs and pipes: a line when the wait starts, one per component state change, one at the end. */
export class PlainProgressView implements ProgressView {
  private readonly subject: string;
  private readonly write: (line: string) => void;
  private waitingShown = false;

  constructor(subject: string, write: (line: string) => void) {
    this.subject = subject;
    this.write = write;
  }

  update(snapshot: ProgressSnapshot, changes: readonly Transition[], elapsedMs: number): void {
    if (snapshot.components === undefined && snapshot.outcome.kind === 'waiting' && !this.waitingShown) {
      this.waitingShown = true;
      this.write(`[${formatDuration(elapsedMs)}] ${this.subject}: ${snapshot.outcome.reason}`);
    }
    for (const change of changes) this.write(transitionLine(change));
  }

  finish(result: WaitResult): Promise<void> {
    // A failure is reported once, as the command's error line on stderr.
    if (result.ok) this.write(`[${formatDuration(result.elapsedMs)}] ${this.subject} ready`);
    return Promise.resolve();
  }
}
