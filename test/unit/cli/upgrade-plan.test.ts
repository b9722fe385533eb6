// `meshop upgrade`'s plan from fixtures: which revision a version change means under each strategy, what moves
// and restarts, the skew verdict, and the plan text a person reads before anything is changed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredMesh } from '../../../src/cli/cluster-meshes.ts';
import { SkewVerdict, revisionChange, upgradePlan } from '../../../src/cli/upgrade-plan.ts';
import type { ClusterFacts, UpgradeRequest } from '../../../src/cli/upgrade-plan.ts';
import { formatUpgradePlan } from '../../../src/cli/view/upgrade-plan-text.ts';
import { classifyPods } from '../../../src/cli/upgrade-workloads.ts';
import { component, mesh, pod, revision } from './mesh-fixtures.ts';

const noFacts: ClusterFacts = { namespaces: [], workloads: { restartable: [], manual: [], excluded: [] } };

function plan(m: StoredMesh, request: UpgradeRequest, facts: ClusterFacts = noFacts) {
  return upgradePlan(m, revisionChange(m, request), facts);
}

const canary = mesh(
  'prod',
  {
    version: '1.30.8',
    updateStrategy: {
      type: 'RevisionBased',
      migrateNamespaces: true,
      restartWorkloads: { enabled: true, batchSize: 3 },
      inactiveRevisionDeletionGracePeriodSeconds: 60,
    },
    revisionTags: { stable: 'active', pinned: 'prod-1-30-8' },
  },
  {
    activeRevision: 'prod-1-30-8',
    revisions: [revision('prod-1-30-8', '1.30.8')],
    components: [component('pilot', 'Healthy'), component('istio-ingressgateway', 'Healthy')],
  },
);

const facts: ClusterFacts = {
  namespaces: ['shop'],
  workloads: {
    restartable: ['Deployment shop/web', 'StatefulSet shop/db'],
    manual: ['Job shop/migrate', 'Pod shop/debug'],
    excluded: ['Deployment kube-system/dns'],
  },
};

describe('revisionChange', () => {
  it('InPlace keeps the revision and patches only the version', () => {
    const change = revisionChange(mesh('m', { version: '1.30.8' }), { version: '1.31.0' });
    assert.equal(change.fromRevision, 'default');
    assert.equal(change.toRevision, 'default');
    assert.equal(change.fromVersion, '1.30.8');
    assert.deepEqual(change.patch, { spec: { version: '1.31.0' } });
  });

  it('RevisionBased names the new revision after the new version', () => {
    const change = revisionChange(canary, { version: '1.31.0' });
    assert.equal(change.fromRevision, 'prod-1-30-8');
    assert.equal(change.toRevision, 'prod-1-31-0');
  });

  it('--strategy switches the strategy in the same patch: a new revision beside the unrevisioned one', () => {
    const change = revisionChange(mesh('m', { version: '1.30.8' }), {
      version: '1.31.0',
      strategy: 'RevisionBased',
    });
    assert.equal(change.toRevision, 'm-1-31-0');
    assert.deepEqual(change.patch, {
      spec: { version: '1.31.0', updateStrategy: { type: 'RevisionBased' } },
    });
  });

  it('an explicit spec.revision is updated in place even under RevisionBased', () => {
    const m = mesh('m', { version: '1.30.8', revision: 'blue', updateStrategy: { type: 'RevisionBased' } });
    const change = revisionChange(m, { version: '1.31.0' });
    assert.equal(change.fromRevision, 'blue');
    assert.equal(change.toRevision, 'blue');
  });
});

describe('upgradePlan', () => {
  it('moves "active" tags only, relabels, restarts, and passes a one-minor step', () => {
    const p = plan(canary, { version: '1.31.0' }, facts);
    assert.deepEqual(p.movingTags, ['stable']);
    assert.equal(p.migrateNamespaces, true);
    assert.equal(p.restartWorkloads, true);
    assert.equal(p.batchSize, 3);
    assert.deepEqual(p.gateways, ['istio-ingressgateway']);
    assert.deepEqual(p.skew, { verdict: SkewVerdict.Ok });
    assert.equal(p.noop, false);
  });

  it('is a no-op when the spec already asks for the version and strategy', () => {
    assert.equal(plan(canary, { version: '1.30.8' }).noop, true);
    assert.equal(plan(canary, { version: '1.30.8', strategy: 'RevisionBased' }).noop, true);
  });

  it('refuses a jump of two minors and a downgrade, unless the annotation allows it', () => {
    const old = mesh('m', { version: '1.29.0' }, { revisions: [revision('default', '1.29.0')] });
    const refused = plan(old, { version: '1.31.0' });
    assert.equal(refused.skew.verdict, SkewVerdict.Refused);
    assert.match(refused.skew.problem ?? '', /2 minor releases ahead of 1\.29\.0/);
    const down = mesh('m', { version: '1.31.0' }, { revisions: [revision('default', '1.31.0')] });
    assert.equal(plan(down, { version: '1.30.8' }).skew.verdict, SkewVerdict.Refused);
    const allowed = {
      ...old,
      metadata: { name: 'm', annotations: { 'meshop.dev/allow-version-skew': 'true' } },
    };
    assert.equal(plan(allowed, { version: '1.31.0' }).skew.verdict, SkewVerdict.Overridden);
  });
});

describe('formatUpgradePlan', () => {
  it('lists every effect of a canary upgrade', () => {
    assert.equal(
      formatUpgradePlan(plan(canary, { version: '1.31.0' }, facts)),
      [
        'Upgrade plan for MeshConfig prod:',
        '  Version: 1.30.8 -> 1.31.0',
        '  Strategy: RevisionBased: new revision prod-1-31-0 is installed beside prod-1-30-8',
        '    prod-1-30-8 stays while anything uses it, and is removed 60s after its last use',
        '  Gateways rolled out with 1.31.0: istio-ingressgateway',
        '  Tags moving to prod-1-31-0: stable (active)',
        '  Namespaces relabelled istio.io/rev=prod-1-30-8 -> prod-1-31-0 (migrateNamespaces):',
        '    shop',
        '  Workloads restarted in batches of 3, each once it is re-injected (restartWorkloads):',
        '    Deployment shop/web',
        '    StatefulSet shop/db',
        '  Workloads not restarted (excludeNamespaces):',
        '    Deployment kube-system/dns',
        '  Manual restart required (bare Pods and Jobs; meshop never deletes them):',
        '    Job shop/migrate',
        '    Pod shop/debug',
        '  Version skew: ok',
        '',
      ].join('\n'),
    );
  });

  it('an in-place upgrade rolls the same revision and relabels nothing', () => {
    const m = mesh('m', { version: '1.30.8' }, { activeRevision: 'default' });
    const inPlace = {
      namespaces: ['shop'],
      workloads: { restartable: ['Deployment shop/web'], manual: [], excluded: [] },
    };
    assert.equal(
      formatUpgradePlan(plan(m, { version: '1.31.0' }, inPlace)),
      [
        'Upgrade plan for MeshConfig m:',
        '  Version: 1.30.8 -> 1.31.0',
        '  Strategy: InPlace: revision default is updated in place; istiod rolls out, the gateways follow',
        '  Workloads not restarted (restartWorkloads is off: they get the new proxy at their next restart):',
        '    Deployment shop/web',
        '  Version skew: ok',
        '',
      ].join('\n'),
    );
  });

  it('says what stays when migrateNamespaces is off, and shows a refusal', () => {
    const m = mesh('m', { version: '1.29.0', updateStrategy: { type: 'RevisionBased' } });
    const text = formatUpgradePlan(plan(m, { version: '1.31.0' }, { ...noFacts, namespaces: ['shop'] }));
    assert.match(
      text,
      /Namespaces that keep istio\.io\/rev=m-1-29-0 \(migrateNamespaces is off.*\n {4}shop\n/,
    );
    assert.match(text, /Workloads restarted: none run m-1-29-0's proxy\n/);
    assert.match(text, /Version skew: refused: 1\.31\.0 is 2 minor releases ahead/);
  });

  it('a no-op says so in one line', () => {
    assert.equal(
      formatUpgradePlan(plan(canary, { version: '1.30.8' })),
      'MeshConfig prod already asks for version 1.30.8 with RevisionBased: nothing to do\n',
    );
  });
});

describe('classifyPods', () => {
  it('maps pods to the workload a restart patches, and reports what it cannot restart', () => {
    const replicaSets = new Map([
      ['shop/web-7d9', { kind: 'Deployment', name: 'web' }],
      ['shop/orphan-rs', undefined],
    ]);
    const pods = [
      pod('shop', 'web-7d9-a', { kind: 'ReplicaSet', name: 'web-7d9' }),
      pod('shop', 'web-7d9-b', { kind: 'ReplicaSet', name: 'web-7d9' }),
      pod('shop', 'db-0', { kind: 'StatefulSet', name: 'db' }),
      pod('shop', 'agent-x', { kind: 'DaemonSet', name: 'agent' }),
      pod('shop', 'migrate-q', { kind: 'Job', name: 'migrate' }),
      pod('shop', 'orphan-rs-1', { kind: 'ReplicaSet', name: 'orphan-rs' }),
      pod('shop', 'debug'),
      pod('kube-system', 'dns-1', { kind: 'DaemonSet', name: 'dns' }),
    ];
    assert.deepEqual(classifyPods(pods, replicaSets, ['kube-system']), {
      restartable: ['DaemonSet shop/agent', 'Deployment shop/web', 'StatefulSet shop/db'],
      manual: ['Job shop/migrate', 'Pod shop/debug', 'Pod shop/orphan-rs-1'],
      excluded: ['DaemonSet kube-system/dns'],
    });
  });
});
