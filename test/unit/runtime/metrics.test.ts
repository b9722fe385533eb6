// Metrics under controller-runtime's names, one registry per manager, and work-queue durations measured with
// an injected clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/runtime/clock.ts';
import { ReconcileResult, createMetrics } from '../../../src/runtime/metrics.ts';

/** The value of one sample line, e.g. `workqueue_depth{name="mesh"}`. */
async function sample(body: Promise<{ body: string }>, series: string): Promise<number | undefined> {
  const line = (await body).body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('controller metrics', () => {
  it('exports every reconcile result from zero, and counts errors separately', async () => {
    // GIVEN a controller registered with 2 workers
    const metrics = createMetrics();
    const c = metrics.controller('meshconfig', 2);
    // WHEN it reconciles once successfully and once with an error
    c.observeReconcile(ReconcileResult.Success, 0.2);
    c.observeReconcile(ReconcileResult.Error, 0.1);
    c.workerStarted();
    // THEN the controller-runtime series say so
    const m = (series: string) => sample(metrics.expose(), series);
    assert.equal(await m('controller_runtime_reconcile_total{controller="meshconfig",result="success"}'), 1);
    assert.equal(await m('controller_runtime_reconcile_total{controller="meshconfig",result="error"}'), 1);
    assert.equal(await m('controller_runtime_reconcile_total{controller="meshconfig",result="requeue"}'), 0);
    assert.equal(await m('controller_runtime_reconcile_errors_total{controller="meshconfig"}'), 1);
    assert.equal(await m('controller_runtime_reconcile_time_seconds_count{controller="meshconfig"}'), 2);
    assert.equal(await m('controller_runtime_active_workers{controller="meshconfig"}'), 1);
    assert.equal(await m('controller_runtime_max_concurrent_reconciles{controller="meshconfig"}'), 2);
  });

  it('keeps each manager’s numbers in its own registry', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.controller('x', 1).observeReconcile(ReconcileResult.Success, 0);
    b.controller('x', 1);
    const series = 'controller_runtime_reconcile_total{controller="x",result="success"}';
    assert.equal(await sample(a.expose(), series), 1);
    assert.equal(await sample(b.expose(), series), 0);
  });

  it('reports leadership as leader_election_master_status', async () => {
    const metrics = createMetrics();
    const status = metrics.leaderElection('meshop');
    assert.equal(await sample(metrics.expose(), 'leader_election_master_status{name="meshop"}'), 0);
    status.setLeading(true);
    assert.equal(await sample(metrics.expose(), 'leader_election_master_status{name="meshop"}'), 1);
  });
});

describe('work-queue metrics', () => {
  it('measures time in queue, time in work and work in progress by the injected clock', async () => {
    // GIVEN a queue's metrics on a clock we move by hand
    const clock = new FakeClock(1_000_000);
    const metrics = createMetrics({ clock });
    const q = metrics.workQueue('meshconfig');
    const m = (series: string) => sample(metrics.expose(), `${series}{name="meshconfig"}`);

    // WHEN a key waits 2 s in the queue, then a worker has held it for 3 s
    q.add('a');
    q.add('b');
    assert.equal(await m('workqueue_depth'), 2);
    clock.advance(2_000);
    q.get('a');
    clock.advance(3_000);

    // THEN depth, adds and the durations say so, and the in-flight work shows as unfinished
    assert.equal(await m('workqueue_depth'), 1);
    assert.equal(await m('workqueue_adds_total'), 2);
    assert.equal(await m('workqueue_queue_duration_seconds_sum'), 2);
    assert.equal(await m('workqueue_unfinished_work_seconds'), 3);
    assert.equal(await m('workqueue_longest_running_processor_seconds'), 3);

    // WHEN the worker finishes and the key is retried
    q.done('a');
    q.retry();
    assert.equal(await m('workqueue_work_duration_seconds_sum'), 3);
    assert.equal(await m('workqueue_unfinished_work_seconds'), 0);
    assert.equal(await m('workqueue_retries_total'), 1);
  });

  it('returns the same recorder for the same queue name', () => {
    const metrics = createMetrics();
    assert.equal(metrics.workQueue('q'), metrics.workQueue('q'));
  });
});
