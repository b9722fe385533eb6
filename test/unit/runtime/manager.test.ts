// The manager's start and stop order, with trivial runnables and a scripted elector at the edge: each records
// what happened to it in one shared journal, and the tests read the order back.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { LeadershipEnd } from '../../../src/runtime/leader-election.ts';
import type { Elector, LeaderCallbacks } from '../../../src/runtime/leader-election.ts';
import { LeaderElectionLostError, Manager } from '../../../src/runtime/manager.ts';
import type { ManagerOptions, Runnable } from '../../../src/runtime/manager.ts';
import { eventually } from '../../support/eventually.ts';

/** What happened, in order; `when` resolves once an entry has been written. */
class Journal {
  readonly entries: string[] = [];
  private readonly waiting = new Map<string, () => void>();

  write(entry: string): void {
    this.entries.push(entry);
    this.waiting.get(entry)?.();
  }

  when(entry: string): Promise<void> {
    if (this.entries.includes(entry)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(entry, resolve));
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => {
      resolve();
    });
  });
}

function worker(journal: Journal, name: string, needLeader: boolean): Runnable {
  return {
    name,
    needLeader,
    async start(signal) {
      journal.write(`${name} started`);
      await aborted(signal);
      journal.write(`${name} stopped`);
    },
  };
}

function cache(journal: Journal, name: string): Runnable & { sync(): void } {
  let synced = false;
  return {
    ...worker(journal, name, false),
    hasSynced: () => synced,
    sync() {
      journal.write(`${name} synced`);
      synced = true;
    },
  };
}

/** Leads as soon as it runs; `lose()` ends the term as a failed renewal would. */
class ScriptedElector implements Elector {
  readonly name = 'meshop';
  readonly identity = 'me';
  private readonly journal: Journal;
  private loseNow: () => void = () => undefined;

  constructor(journal: Journal) {
    this.journal = journal;
  }

  async run(signal: AbortSignal, callbacks: LeaderCallbacks = {}): Promise<LeadershipEnd> {
    this.journal.write('election started');
    callbacks.onStartedLeading?.();
    const lost = new Promise<LeadershipEnd>((resolve) => {
      this.loseNow = () => {
        resolve(LeadershipEnd.Lost);
      };
    });
    const end = await Promise.race([aborted(signal).then(() => LeadershipEnd.Cancelled), lost]);
    this.journal.write(end === LeadershipEnd.Lost ? 'lease lost' : 'lease released');
    callbacks.onStoppedLeading?.();
    return end;
  }

  lose(): void {
    this.loseNow();
  }
}

function manager(options: ManagerOptions = {}): Manager {
  return new Manager({ syncPollMs: 1, gracefulShutdownTimeoutMs: 5_000, ...options });
}

describe('manager start order', () => {
  it('starts server, caches, other runnables, election, then controllers, and stops in reverse', async () => {
    // GIVEN a manager with a server, a cache, another runnable, an elector and a controller
    const journal = new Journal();
    const elector = new ScriptedElector(journal);
    const mgr = manager({ server: { host: '127.0.0.1', port: 0 }, elector });
    const informer = cache(journal, 'cache');
    mgr.add(worker(journal, 'controller', true));
    mgr.add(worker(journal, 'other', false));
    mgr.add({
      ...informer,
      start: (signal) => {
        journal.write(mgr.serverAddress() ? 'server listening' : 'server not listening');
        return informer.start(signal);
      },
    });

    // WHEN it starts, and the cache syncs only once it has started
    const running = mgr.start();
    await journal.when('cache started');
    informer.sync();
    await journal.when('controller started');
    mgr.stop();
    await running;

    // THEN everything started in controller-runtime's order, and stopped with the controller drained before
    // the lease was released and the server closed last
    assert.deepEqual(journal.entries.slice(0, 6), [
      'server listening',
      'cache started',
      'cache synced',
      'other started',
      'election started',
      'controller started',
    ]);
    assert.deepEqual(journal.entries.slice(6, 8), ['controller stopped', 'lease released']);
    assert.deepEqual(new Set(journal.entries.slice(8)), new Set(['other stopped', 'cache stopped']));
    assert.equal(mgr.serverAddress(), undefined);
  });

  it('serves probes and metrics from one server when given the same address', async () => {
    const mgr = manager({
      server: { host: '127.0.0.1', port: 0 },
      metricsServer: { host: '127.0.0.1', port: 0 },
    });
    const running = mgr.start();
    try {
      await eventually('listening', () => Promise.resolve(mgr.serverAddress() !== undefined), 5_000);
      assert.deepEqual(mgr.metricsAddress(), mgr.serverAddress());
      const base = `http://127.0.0.1:${String(mgr.serverAddress()?.port)}`;
      assert.equal((await fetch(`${base}/metrics`)).status, 200);
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
    } finally {
      mgr.stop();
      await running;
    }
  });

  it('serves no metrics unless given an address for them', async () => {
    const mgr = manager({ server: { host: '127.0.0.1', port: 0 } });
    const running = mgr.start();
    try {
      await eventually('listening', () => Promise.resolve(mgr.serverAddress() !== undefined), 5_000);
      assert.equal(mgr.metricsAddress(), undefined);
      assert.equal(
        (await fetch(`http://127.0.0.1:${String(mgr.serverAddress()?.port)}/metrics`)).status,
        404,
      );
    } finally {
      mgr.stop();
      await running;
    }
  });

  it('starts leader-only runnables right after the caches when there is no leader election', async () => {
    const journal = new Journal();
    const mgr = manager();
    const informer = cache(journal, 'cache');
    mgr.add(worker(journal, 'controller', true));
    mgr.add(informer);

    const running = mgr.start();
    await journal.when('cache started');
    informer.sync();
    await journal.when('controller started');
    mgr.stop();
    await running;

    assert.deepEqual(journal.entries.slice(0, 3), ['cache started', 'cache synced', 'controller started']);
  });
});

describe('manager failures', () => {
  it('stops everything and rejects when the lease is lost', async () => {
    // GIVEN a leading manager
    const journal = new Journal();
    const elector = new ScriptedElector(journal);
    const mgr = manager({ elector });
    mgr.add(worker(journal, 'controller', true));
    mgr.add(worker(journal, 'other', false));
    const running = mgr.start();
    await journal.when('controller started');

    // WHEN the lease is lost
    elector.lose();

    // THEN start() rejects, the controller has stopped, and nothing released a lease it no longer holds
    await assert.rejects(running, LeaderElectionLostError);
    assert.ok(journal.entries.includes('controller stopped'));
    assert.ok(journal.entries.includes('other stopped'));
    assert.ok(!journal.entries.includes('lease released'));
  });

  it('stops everything and rejects when a runnable fails', async () => {
    const journal = new Journal();
    const mgr = manager();
    mgr.add(worker(journal, 'controller', true));
    mgr.add({
      name: 'broken',
      needLeader: true,
      start: () => Promise.reject(new Error('boom')),
    });

    await assert.rejects(mgr.start(), (err: Error) => {
      assert.match(err.message, /runnable broken failed/);
      assert.equal((err.cause as Error).message, 'boom');
      return true;
    });
    assert.ok(journal.entries.includes('controller stopped'));
  });

  it('rejects when caches do not sync in time, without starting controllers', async () => {
    const journal = new Journal();
    const mgr = manager({ cacheSyncTimeoutMs: 0 });
    mgr.add(cache(journal, 'cache'));
    mgr.add(worker(journal, 'controller', true));

    await assert.rejects(mgr.start(), /caches did not sync/);
    assert.deepEqual(journal.entries, ['cache started', 'cache stopped']);
  });
});

describe('manager shutdown on signals', () => {
  it('stops cleanly on SIGTERM', async () => {
    // GIVEN a running manager listening for signals on an emitter standing in for the process
    const journal = new Journal();
    const signals = new EventEmitter();
    const mgr = manager();
    mgr.stopOnSignals(signals);
    mgr.add(worker(journal, 'controller', true));
    const running = mgr.start();
    await journal.when('controller started');

    // WHEN SIGTERM arrives
    signals.emit('SIGTERM', 'SIGTERM');

    // THEN start() resolves after the controller stopped
    await running;
    assert.deepEqual(journal.entries, ['controller started', 'controller stopped']);
  });
});
