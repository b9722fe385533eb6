// GIVEN candidates campaigning for one Lease on the real API server, with short durations, THEN exactly one
// leads; a leader that dies without releasing is replaced once its lease expires; one that releases is replaced
// at once; and a leader that finds someone else holding the lease stops leading.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { TransportError } from '../../src/kube/index.ts';
import type { KubeClient } from '../../src/kube/index.ts';
import { LeaderElector, LeadershipEnd } from '../../src/runtime/leader-election.ts';
import type { LeaderElectionConfig, LeaseClient } from '../../src/runtime/leader-election.ts';
import type { Lease } from '../../src/runtime/lease-record.ts';
import { eventually } from '../support/eventually.ts';
import { uniqueName } from '../support/names.ts';
import { useSharedNamespace } from '../support/shared-namespace.ts';

const short = { leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 250 };

/** One candidate: its elector, the signal that stops it, and whether it leads right now. */
interface Candidate {
  identity: string;
  elector: LeaderElector;
  leading: boolean;
  stop: AbortController;
  ended: Promise<LeadershipEnd>;
}

describe('leader election on a Lease', () => {
  const fx = useSharedNamespace('leader');
  let kube: KubeClient;
  let ns: string;
  before(() => {
    ({ kube, ns } = fx);
  });

  /** Candidate `a`, alone on `lease`, reaching the API server through `client`. */
  const soleCandidate = (client: LeaseClient, lease: string): LeaderElector =>
    new LeaderElector(client, { lease: { name: lease, namespace: ns }, identity: 'a', ...short });

  /** Starts candidates for one lease; `maxLeaders` records the most that ever led at once. */
  function campaign(lease: string, identities: string[], config: Partial<LeaderElectionConfig> = {}) {
    const seen = { maxLeaders: 0 };
    const candidates = identities.map((identity): Candidate => {
      const elector = new LeaderElector(kube.objects, {
        lease: { name: lease, namespace: ns },
        identity,
        ...short,
        ...config,
      });
      const stop = new AbortController();
      const c: Candidate = { identity, elector, leading: false, stop, ended: Promise.resolve('Cancelled') };
      c.ended = elector.run(stop.signal, {
        onStartedLeading: () => {
          c.leading = true;
          seen.maxLeaders = Math.max(seen.maxLeaders, candidates.filter((x) => x.leading).length);
        },
        onStoppedLeading: () => {
          c.leading = false;
        },
      });
      return c;
    });
    const leaders = () => candidates.filter((c) => c.leading);
    const stopAll = async () => {
      for (const c of candidates) c.stop.abort();
      await Promise.all(candidates.map((c) => c.ended));
    };
    return { candidates, leaders, seen, stopAll };
  }

  const readLease = (name: string) =>
    kube.objects.get<Lease>({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: ns, name });

  it(
    'lets exactly one of two candidates lead, and the leader keeps renewing',
    { timeout: 60_000 },
    async () => {
      // GIVEN two candidates for a lease nobody holds yet
      const lease = uniqueName('one-leader');
      const run = campaign(lease, ['a', 'b']);
      try {
        // WHEN they race for it
        await eventually('a leader is elected', () => Promise.resolve(run.leaders().length === 1), 20_000);
        const leader = run.leaders()[0]!;

        // THEN the lease names the leader, who renews it several times while the other never leads
        const first = (await readLease(lease)).spec!;
        assert.equal(first.holderIdentity, leader.identity);
        assert.equal(first.leaseTransitions, 0);
        assert.equal(first.leaseDurationSeconds, 2);
        const renewals = new Set<string>();
        await eventually(
          'the leader renews three times',
          async () => {
            const spec = (await readLease(lease)).spec!;
            assert.equal(spec.holderIdentity, leader.identity);
            renewals.add(spec.renewTime!);
            return renewals.size >= 3;
          },
          20_000,
        );
        assert.equal(run.seen.maxLeaders, 1);
        assert.deepEqual(
          run.leaders().map((c) => c.identity),
          [leader.identity],
        );
      } finally {
        await run.stopAll();
      }
    },
  );

  it(
    'hands over once the lease expires when the leader dies without releasing',
    { timeout: 60_000 },
    async () => {
      // GIVEN two candidates that never release (as if their process were killed)
      const lease = uniqueName('killed');
      const run = campaign(lease, ['a', 'b'], { releaseOnCancel: false });
      try {
        await eventually('a leader is elected', () => Promise.resolve(run.leaders().length === 1), 20_000);
        const leader = run.leaders()[0]!;
        const follower = run.candidates.find((c) => c !== leader)!;

        // WHEN the leader stops renewing
        leader.stop.abort();
        assert.equal(await leader.ended, LeadershipEnd.Cancelled);
        assert.equal((await readLease(lease)).spec!.holderIdentity, leader.identity, 'not released');

        // THEN the other candidate takes over after the lease expires, counting one transition
        await eventually('the follower leads', () => Promise.resolve(follower.leading), 30_000);
        const spec = (await readLease(lease)).spec!;
        assert.equal(spec.holderIdentity, follower.identity);
        assert.equal(spec.leaseTransitions, 1);
        assert.equal(run.seen.maxLeaders, 1);
      } finally {
        await run.stopAll();
      }
    },
  );

  it('hands over at once when the leader releases', { timeout: 60_000 }, async () => {
    // GIVEN two candidates with a lease far longer than the wait below
    const lease = uniqueName('released');
    const long = { leaseDurationMs: 120_000, renewDeadlineMs: 60_000, retryPeriodMs: 250 };
    const run = campaign(lease, ['a', 'b'], long);
    try {
      await eventually('a leader is elected', () => Promise.resolve(run.leaders().length === 1), 20_000);
      const leader = run.leaders()[0]!;
      const follower = run.candidates.find((c) => c !== leader)!;

      // WHEN the leader shuts down and releases the lease
      leader.stop.abort();
      assert.equal(await leader.ended, LeadershipEnd.Cancelled);

      // THEN the follower takes over without waiting out the 120 s lease
      await eventually('the follower leads', () => Promise.resolve(follower.leading), 20_000);
      const spec = (await readLease(lease)).spec!;
      assert.equal(spec.holderIdentity, follower.identity);
      assert.equal(spec.leaseTransitions, 1);
    } finally {
      await run.stopAll();
    }
  });

  it('gives up leading when it cannot renew within the renew deadline', { timeout: 60_000 }, async () => {
    // GIVEN a leader whose API calls can be made to fail (the real client behind a switch at the edge)
    const lease = uniqueName('cut-off');
    let cutOff = false;
    const guard = <T>(call: () => Promise<T>): Promise<T> =>
      cutOff ? Promise.reject(new TransportError('lease call', new Error('network unreachable'))) : call();
    const flaky: LeaseClient = {
      get: (ref) => guard(() => kube.objects.get(ref)),
      create: (obj) => guard(() => kube.objects.create(obj)),
      replace: (obj) => guard(() => kube.objects.replace(obj)),
    };
    const elector = soleCandidate(flaky, lease);
    let leading = false;
    const ended = elector.run(new AbortController().signal, {
      onStartedLeading: () => {
        leading = true;
      },
      onStoppedLeading: () => {
        leading = false;
      },
    });
    await eventually('a leads', () => Promise.resolve(leading), 20_000);

    // WHEN it loses its connection to the API server
    cutOff = true;

    // THEN its run ends as Lost (after the renew deadline), and a new candidate takes the expired lease
    assert.equal(await ended, LeadershipEnd.Lost);
    assert.equal(leading, false);
    const run = campaign(lease, ['b']);
    try {
      await eventually('b leads', () => Promise.resolve(run.leaders().length === 1), 30_000);
    } finally {
      await run.stopAll();
    }
  });

  it(
    'renews before it leads when its winning write answered after the renew deadline',
    { timeout: 60_000 },
    async () => {
      // GIVEN a candidate whose first write reaches the API server at once but whose answer comes back later than
      // the renew deadline (an API server thawing after a freeze answers its backlog slowly)
      const lease = uniqueName('late-win');
      const late = short.renewDeadlineMs + 300;
      let writes = 0;
      const slowFirstWrite = async <T>(call: () => Promise<T>): Promise<T> => {
        const answer = await call();
        if (++writes === 1) await new Promise((r) => setTimeout(r, late));
        return answer;
      };
      const slow: LeaseClient = {
        get: (ref) => kube.objects.get(ref),
        create: (obj) => slowFirstWrite(() => kube.objects.create(obj)),
        replace: (obj) => slowFirstWrite(() => kube.objects.replace(obj)),
      };
      const elector = soleCandidate(slow, lease);
      let leading = false;
      let ledAfterWrites = 0;
      const stop = new AbortController();
      const ended = elector.run(stop.signal, {
        onStartedLeading: () => {
          leading = true;
          ledAfterWrites = writes;
        },
        onStoppedLeading: () => {
          leading = false;
        },
      });

      // THEN it leads only after a second, timely write, and goes on leading over many renewals (before, it
      // started leading on the late answer and lost at its first renewal: work begun, no leader left)
      await eventually('a leads', () => Promise.resolve(leading), 20_000);
      assert.equal(ledAfterWrites, 2, 'leading began after the renewal that followed the late win');
      await new Promise((r) => setTimeout(r, 4 * short.renewDeadlineMs));
      assert.equal(leading, true, 'still leading');
      stop.abort();
      assert.equal(await ended, LeadershipEnd.Cancelled);
    },
  );

  it('stops leading when another holder has taken the lease', { timeout: 60_000 }, async () => {
    // GIVEN a single leader
    const lease = uniqueName('taken');
    const run = campaign(lease, ['a']);
    try {
      await eventually('a leads', () => Promise.resolve(run.leaders().length === 1), 20_000);

      // WHEN someone else writes itself into the lease (an operator forcing a takeover)
      // (retried: a renewal between our read and write makes the write a 409)
      await eventually(
        'the lease is taken',
        async () => {
          const current = await readLease(lease);
          await kube.objects.replace({
            ...current,
            spec: { ...current.spec, holderIdentity: 'intruder', leaseDurationSeconds: 60 },
          });
          return true;
        },
        10_000,
      );

      // THEN the leader notices at its next renewal and its run ends as Lost
      assert.equal(await run.candidates[0]!.ended, LeadershipEnd.Lost);
      assert.equal(run.candidates[0]!.leading, false);
      assert.equal((await readLease(lease)).spec!.holderIdentity, 'intruder');
    } finally {
      await run.stopAll();
    }
  });
});
