// The live view on a terminal: a listr2 task list (ADR 0011), one row per component with a spinner, its state
// and a timer, redrawn in place. listr2 drives rows by promises, so each row is a promise this view settles
// when the status says the component is ready or failed; the rows are known from the operator's first report.
import { Listr, PRESET_TIMER } from 'listr2';
import type { ListrDefaultRenderer, ListrSimpleRenderer, ListrTask, ListrTaskWrapper } from 'listr2';
import type { ComponentProgress, ProgressSnapshot, Transition } from './mesh-progress.ts';
import { ComponentState } from './mesh-progress.ts';
import type { ProgressView, WaitResult } from './progress-view.ts';

type Task = ListrTaskWrapper<object, ListrDefaultRenderer, ListrSimpleRenderer>;

interface Row {
  progress: ComponentProgress;
  settled: boolean;
  done: PromiseWithResolvers<undefined>;
  task?: Task;
}

const rowTitle = (p: ComponentProgress): string => `${p.name}: ${p.state}`;

/** A promise settled from outside, whose rejection counts as handled (listr2 reports it, not the process). */
function deferred<T>(): PromiseWithResolvers<T> {
  const d = Promise.withResolvers<T>();
  d.promise.catch(() => undefined);
  return d;
}

export class LiveProgressView implements ProgressView {
  private readonly subject: string;
  private readonly rows = new Map<string, Row>();
  private readonly known = deferred<readonly Row[]>();
  private readonly outcome = deferred<undefined>();
  private knownSettled = false;
  private header: Task | undefined;
  private readonly running: Promise<unknown>;

  constructor(subject: string) {
    this.subject = subject;
    const list = new Listr<object, 'default', 'simple'>(
      [{ title: `${subject}: waiting for the operator`, task: (_ctx, task) => this.run(task) }],
      {
        renderer: 'default',
        exitOnError: false,
        rendererOptions: { collapseSubtasks: false, timer: PRESET_TIMER },
      },
    );
    // The command reports the result itself; a failed row is listr2's to draw, not an error here.
    this.running = list.run().catch(() => undefined);
  }

  update(snapshot: ProgressSnapshot, changes: readonly Transition[]): void {
    if (snapshot.components !== undefined) this.settleKnown(snapshot.components);
    for (const change of changes) {
      const row = this.rows.get(change.name);
      if (row === undefined) continue; // appeared after the list was drawn; the outcome still counts it
      row.progress = change;
      this.draw(row);
    }
  }

  async finish(result: WaitResult): Promise<void> {
    this.settleKnown([]);
    for (const row of this.rows.values()) {
      const { name, state, message } = row.progress;
      this.settle(
        row,
        result.ok ? undefined : new Error(`${name}: ${state}${message ? ` (${message})` : ''}`),
      );
    }
    if (this.header) this.header.title = `${this.subject}: ${result.message}`;
    if (result.ok) this.outcome.resolve(undefined);
    else this.outcome.reject(new Error(result.message));
    await this.running;
  }

  private async run(task: Task): Promise<unknown> {
    this.header = task;
    const rows = await this.known.promise;
    if (rows.length === 0) return this.outcome.promise;
    task.title = this.subject;
    const subtasks: ListrTask<object, ListrDefaultRenderer, ListrSimpleRenderer>[] = rows.map((row) => ({
      title: rowTitle(row.progress),
      task: (_ctx, handle) => {
        row.task = handle;
        this.draw(row);
        return row.done.promise;
      },
    }));
    return task.newListr(subtasks, { concurrent: true, exitOnError: false });
  }

  private settleKnown(components: readonly ComponentProgress[]): void {
    if (this.knownSettled) return;
    this.knownSettled = true;
    for (const progress of components) {
      this.rows.set(progress.name, { progress, settled: false, done: deferred<undefined>() });
    }
    this.known.resolve([...this.rows.values()]);
  }

  private draw(row: Row): void {
    if (row.task) {
      row.task.title = rowTitle(row.progress);
      row.task.output = row.progress.message;
    }
    if (row.progress.state === ComponentState.Ready) this.settle(row, undefined);
    // listr2 shows a failed row's error in place of its title, so the error names the component.
    if (row.progress.state === ComponentState.Failed) {
      this.settle(row, new Error(`${row.progress.name}: ${row.progress.message}`));
    }
  }

  private settle(row: Row, error: Error | undefined): void {
    if (row.settled) return;
    row.settled = true;
    if (error === undefined) row.done.resolve(undefined);
    else row.done.reject(error);
  }
}
