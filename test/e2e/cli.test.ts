// The meshop CLI end to end: the real `meshop` processes (exit code, stdout, stderr) against a private local
// control plane, with the operator as a real process. init -> init again (no-op) -> bad input refused with
// nothing applied -> install --wait (plain lines, then the live view on a pseudo-terminal) -> status and an
// upgrade plan -> uninstall --wait -> operator remove --purge, and the cluster is left as it was.
//
// A private cluster, not the run's shared one: the before/after comparison needs a cluster nobody else writes
// to, and an operator of another test file would reconcile our (cluster-scoped) MeshConfig too.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readinessOf } from '../../src/apply/index.ts';
import { isKindNotServed, refOf } from '../../src/kube/index.ts';
import type { KubeClient, KubeObject, TypeRef } from '../../src/kube/index.ts';
import { renderInstaller } from '../../src/installer/index.ts';
import { inventoryKinds } from '../../src/render/index.ts';
import { startCluster } from '../cluster/index.ts';
import type { PrivateCluster } from '../cluster/index.ts';
import { eventually } from '../support/eventually.ts';
import { startOperatorProcess } from '../support/operator-process.ts';
import type { OperatorProcess } from '../support/operator-process.ts';
import { artifactsRoot } from '../support/render-fixtures.ts';
import { shippedCli } from '../support/shipped.ts';
import { writeUnreachableKubeconfig } from '../support/unreachable-kubeconfig.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const meshop = shippedCli();
const demo = join(root, 'config', 'samples', 'demo.yaml');
// Istio's CRDs stay after an uninstall unless the MeshConfig says otherwise (users' resources survive); for
// the cluster to end as it began, this mesh asks for them to go.
const removeCrds = ['--set', 'teardown.removeCRDs=true'];
const meshType = { apiVersion: 'meshop.dev/v1alpha1', kind: 'MeshConfig' };
const operatorDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: 'meshop-system',
  name: 'meshop-operator',
};
// Control sequences: CSI ... letter (cursor movement, erase, colour).
const csi = (body: string, flags = ''): RegExp => new RegExp(`${String.fromCharCode(27)}\\[${body}`, flags);
const ansi = csi('[0-9;?]*[A-Za-z]', 'g');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking this process (the operator's output pipes must keep flowing). */
function runProcess(file: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

const lines = (text: string): string[] => text.split('\n').filter(Boolean);

/**
 * Runs a command on a pseudo-terminal (script(1)) and types `answer` once `prompt` appears on it, as a person at
 * the terminal would; stdin stays open until the command ends.
 */
function runOnTerminal(command: string, prompt: string, answer: string): Promise<Run & { asked: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    let stdout = '';
    let asked = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!asked && stdout.includes(prompt)) {
        asked = true;
        child.stdin.write(answer);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr: '', asked });
    });
  });
}

/**
 * Every object of the kinds meshop touches, directly or through the controllers of what it creates, as
 * `Kind namespace/name uid`. The uid makes a deleted-and-recreated object count as a change.
 *
 * Left out, and why: Events (every controller and the operator record them, and they outlive what they are
 * about; they are history, not state). Nothing else: Leases (node heartbeats, controller leader election)
 * keep their identity while their resourceVersion churns, and only identities are compared.
 */
const snapshotKinds: readonly TypeRef[] = [
  ...inventoryKinds,
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'v1', kind: 'Secret' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' },
  { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease' },
  meshType,
];

async function clusterObjects(kube: KubeClient): Promise<string[]> {
  const found: string[] = [];
  for (const type of snapshotKinds) {
    try {
      // kube-root-ca.crt is published into every namespace by kube-controller-manager on its own schedule: a
      // snapshot taken right after start-up may come before it.
      for (const o of (await kube.objects.list(type)).items.filter(
        (i) => i.metadata.name !== 'kube-root-ca.crt',
      )) {
        found.push(
          `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''} ${o.metadata.uid ?? ''}`,
        );
      }
    } catch (err) {
      if (!isKindNotServed(err)) throw err; // a CRD that is not installed (yet, or any more)
    }
  }
  return found.sort();
}

const describeObject = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

describe('the meshop CLI against a cluster', () => {
  let cluster: PrivateCluster;
  let kube: KubeClient;
  let operator: OperatorProcess | undefined;
  let initially: string[];
  const cli = (...args: string[]): Promise<Run> =>
    runProcess(process.execPath, [meshop, '--kubeconfig', cluster.kubeconfigPath, ...args]);
  const meshConfigs = async (): Promise<string[]> =>
    (await kube.objects.list(meshType)).items.map((m) => m.metadata.name ?? '');

  before(async () => {
    cluster = await startCluster({ nodes: 1 });
    kube = cluster.client();
    initially = await clusterObjects(kube);
  });
  after(async () => {
    operator?.child.kill('SIGKILL');
    await cluster.stop();
  });

  it('operator init applies the installer in order and waits until the operator is Available', async () => {
    const r = await cli('operator', 'init');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      'namespace/meshop-system created',
      'customresourcedefinition.apiextensions.k8s.io/meshconfigs.meshop.dev created',
      'validatingadmissionpolicy.admissionregistration.k8s.io/meshop-meshconfig-restricted-fields created',
      'validatingadmissionpolicybinding.admissionregistration.k8s.io/meshop-meshconfig-restricted-fields created',
      'clusterrole.rbac.authorization.k8s.io/meshop-meshconfig-escalate created',
      'serviceaccount/meshop-operator created',
      'clusterrole.rbac.authorization.k8s.io/meshop-operator created',
      'clusterrolebinding.rbac.authorization.k8s.io/meshop-operator created',
      'clusterrole.rbac.authorization.k8s.io/meshop-operator-workload-restarts created',
      'clusterrolebinding.rbac.authorization.k8s.io/meshop-operator-workload-restarts created',
      'role.rbac.authorization.k8s.io/meshop-operator-leader-election created',
      'rolebinding.rbac.authorization.k8s.io/meshop-operator-leader-election created',
      'deployment.apps/meshop-operator created',
      'deployment.apps/meshop-operator available',
    ]);
    assert.equal(readinessOf(await kube.objects.get(operatorDeployment)).ready, true);
  });

  it('operator init again finds everything unchanged and writes nothing', async () => {
    // What a write by meshop would change: the resourceVersion, except on the Deployment and the admission policy,
    // whose status their controllers may still be settling; there, the generation and meshop's managed fields.
    const versions = async (): Promise<string[]> =>
      Promise.all(
        renderInstaller().map(async (o) => {
          const live = await kube.objects.get(refOf(o));
          if (o.kind !== 'Deployment' && o.kind !== 'ValidatingAdmissionPolicy')
            return `${describeObject(o)} ${live.metadata.resourceVersion ?? ''}`;
          const ours = live.metadata.managedFields?.find((f) => f.manager === 'meshop');
          return `${describeObject(o)} ${String(live.metadata.generation)} ${JSON.stringify(ours)}`;
        }),
      );
    const before = await versions();
    const r = await cli('operator', 'init');
    assert.equal(r.code, 0, r.stderr);
    const outcomes = lines(r.stdout).map((l) => l.split(' ')[1]);
    assert.deepEqual(outcomes, [...Array<string>(13).fill('unchanged'), 'available']);
    assert.deepEqual(await versions(), before);
    // The Deployment is a fake pod on KWOK: the real reconciling is done by the operator as a process.
    operator = startOperatorProcess(cluster.kubeconfigPath, artifactsRoot);
  });

  describe('bad input: one line, a documented exit code, nothing applied', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshop-e2e-'));
    const unreachable = writeUnreachableKubeconfig(dir);
    const nobody = ['--as', 'system:serviceaccount:default:nobody'];
    const cases: [string, () => Promise<Run>, number, RegExp][] = [
      ['an unknown flag', () => cli('install', '-f', demo, '--wiat'), 2, /^meshop: unknown option '--wiat'/],
      [
        'a missing file',
        () => cli('install', '-f', join(dir, 'missing.yaml')),
        2,
        /^meshop: cannot read .*ENOENT/,
      ],
      [
        'an unreachable cluster',
        () => runProcess(process.execPath, [meshop, '--kubeconfig', unreachable, 'install', '-f', demo]),
        3,
        /^meshop: discover meshop\.dev\/v1alpha1: connect ECONNREFUSED 127\.0\.0\.1:1$/,
      ],
      [
        'install without RBAC',
        () => cli(...nobody, 'install', '-f', demo),
        3,
        /^meshop: get MeshConfig demo: 403 Forbidden: /,
      ],
      [
        'operator init without RBAC',
        () => cli(...nobody, 'operator', 'init'),
        3,
        /^meshop: get Namespace meshop-system: 403 Forbidden: /,
      ],
    ];
    for (const [what, run, code, message] of cases) {
      it(`${what}: exit ${String(code)}`, async () => {
        const r = await run();
        assert.equal(r.code, code, r.stderr);
        assert.equal(lines(r.stderr).length, 1, r.stderr);
        assert.match(r.stderr.trimEnd(), message);
        assert.equal(r.stdout, '');
        assert.deepEqual(await meshConfigs(), []);
      });
    }

    it('an invalid MeshConfig: exit 2, each problem with its field path', async () => {
      const r = await cli('install', '-f', demo, '--set', 'revision=Bad_Rev', '--set', 'namespace=-x');
      assert.equal(r.code, 2, r.stderr);
      const [first, ...problems] = lines(r.stderr);
      assert.equal(first, 'meshop: invalid MeshConfig (2 problems):');
      assert.deepEqual(problems.map((p) => p.trim().split(':')[0]).sort(), [
        'spec.namespace',
        'spec.revision',
      ]);
      assert.deepEqual(await meshConfigs(), []);
    });
  });

  it('install --wait, not on a terminal: plain lines per component until Ready, exit 0', async () => {
    const r = await cli('install', '-f', demo, ...removeCrds, '--wait', '--timeout', '8m');
    assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}\n${operator?.output().slice(-3000) ?? ''}`);
    assert.doesNotMatch(r.stdout, ansi);
    const out = lines(r.stdout);
    assert.equal(out[0], 'meshconfig.meshop.dev/demo created');
    assert.match(out.at(-1) ?? '', /^\[[\dhms.]+\] meshconfig\.meshop\.dev\/demo ready$/);
    const transitions = out.slice(1, -1).filter((l) => !l.includes('waiting for the operator'));
    for (const line of transitions)
      assert.match(line, /^\[[\dhms.]+\] [\w-]+( \([\w-]+\))?: (pending|applying|ready)( \(.*\))?$/);
    // Every component the operator reports ends with a line saying it is ready.
    const mesh = await kube.objects.get<KubeObject & { status?: { components?: { name: string }[] } }>({
      ...meshType,
      name: 'demo',
    });
    const components = (mesh.status?.components ?? []).map((c) => c.name);
    assert.ok(components.length >= 3, `components: ${components.join(', ')}`);
    for (const name of components)
      assert.ok(
        transitions.some((l) => l.endsWith(`] ${name}: ready`)),
        name,
      );
    assert.ok(
      transitions.some((l) => / (pending|applying)/.test(l)),
      'some component was seen on its way',
    );
  });

  it('install --wait on a terminal draws the live view', async () => {
    // A changed spec (a new generation) that the operator rolls out again.
    const args = [meshop, '--kubeconfig', cluster.kubeconfigPath, 'install', '-f', demo, ...removeCrds];
    args.push('--set', 'values.global.logging.level=default:debug', '--wait', '--timeout', '8m');
    const command = `stty cols 120 rows 40; ${[process.execPath, ...args].join(' ')}`;
    const r = await runProcess('script', ['-qec', command, '/dev/null']);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, csi('\\?25l'), 'hides the cursor while drawing');
    assert.match(r.stdout, csi('2K'), 'erases the lines it redraws');
    const text = r.stdout.replace(ansi, '');
    assert.match(text, /meshconfig\.meshop\.dev\/demo configured/);
    assert.match(text, /✔ meshconfig\.meshop\.dev\/demo: ready/);
  });

  it('install --wait on a terminal asks before adopting objects meshop did not create, and adopts on yes', async () => {
    // GIVEN a ConfigMap someone made with the name the mesh renders, in a namespace that exists
    const namespace = 'adopt-system';
    await kube.objects.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      {
        fieldManager: 'kubectl',
      },
    );
    const foreign = { apiVersion: 'v1', kind: 'ConfigMap', namespace, name: 'istio-adopt' };
    await kube.objects.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: foreign.name, namespace },
        data: { mesh: '{}' },
      },
      { fieldManager: 'kubectl' },
    );
    const file = join(mkdtempSync(join(tmpdir(), 'meshop-adopt-')), 'mesh.yaml');
    const mesh = {
      ...meshType,
      metadata: { name: 'adopt' },
      spec: { profile: 'minimal', namespace, revision: 'adopt' },
    };
    writeFileSync(file, JSON.stringify(mesh));
    // WHEN install --wait runs on a terminal and the answer is yes
    const args = [
      meshop,
      '--kubeconfig',
      cluster.kubeconfigPath,
      'install',
      '-f',
      file,
      '--wait',
      '--timeout',
      '4m',
    ];
    const r = await runOnTerminal(
      `stty cols 120 rows 40; ${[process.execPath, ...args].join(' ')}`,
      '[y/N]',
      'y\n',
    );
    const text = r.stdout.replace(ansi, '');
    // THEN it named the object and who wrote it, asked, annotated the MeshConfig, and the mesh became ready
    assert.ok(r.asked, text);
    assert.equal(r.code, 0, `${text}\n${operator?.output().slice(-3000) ?? ''}`);
    assert.match(text, /ConfigMap adopt-system\/istio-adopt \(not created by meshop \(written by kubectl\)/);
    assert.match(text, /meshconfig\.meshop\.dev\/adopt annotated meshop\.dev\/adopt-existing=true/);
    assert.match(text, /meshconfig\.meshop\.dev\/adopt: ready/);
    const adopted = await kube.objects.get<KubeObject & { status?: { adopted?: string[] } }>({
      ...meshType,
      name: 'adopt',
    });
    assert.deepEqual(adopted.status?.adopted, ['ConfigMap adopt-system/istio-adopt']);
    // AND once uninstalled, the namespace it did not create is left for us to delete
    const gone = await cli('uninstall', '--name', 'adopt', '--wait', '--timeout', '4m');
    assert.equal(gone.code, 0, gone.stderr);
    assert.equal(await kube.objects.find(foreign), undefined);
    await kube.objects.delete({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
  });

  it('operator remove --purge refuses while a MeshConfig exists, naming it, and removes nothing', async () => {
    const r = await cli('operator', 'remove', '--purge');
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      'meshop: refusing to purge: MeshConfig(s) still exist: demo (uninstall them first, or add --force to delete them)\n',
    );
    assert.equal(r.stdout, '');
    assert.ok(await kube.objects.find(operatorDeployment));
  });

  it('status shows the mesh Ready; upgrade --dry-run prints a plan and changes nothing', async () => {
    const status = await cli('status', '--name', 'demo');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /demo/);
    assert.match(status.stdout, /\bReady\b|\bTrue\b/);
    const generation = (await kube.objects.get({ ...meshType, name: 'demo' })).metadata.generation;
    const plan = await cli(
      'upgrade',
      '--name',
      'demo',
      '--version',
      '1.31.0',
      '--strategy',
      'RevisionBased',
      '--dry-run',
    );
    assert.equal(plan.code, 0, plan.stderr);
    assert.notEqual(plan.stdout.trim(), '');
    assert.equal((await kube.objects.get({ ...meshType, name: 'demo' })).metadata.generation, generation);
  });

  it('uninstall --wait deletes the MeshConfig and returns once the operator has torn the mesh down', async () => {
    const r = await cli('uninstall', '-f', demo, '--wait', '--timeout', '8m');
    assert.equal(r.code, 0, `${r.stderr}\n${operator?.output().slice(-3000) ?? ''}`);
    assert.deepEqual(lines(r.stdout), [
      'meshconfig.meshop.dev/demo deleted',
      'meshconfig.meshop.dev/demo torn down',
    ]);
    assert.deepEqual(await meshConfigs(), []);
    const left = await kube.objects.list(
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { labelSelector: 'meshop.dev/mesh=demo' },
    );
    assert.deepEqual(left.items.map(describeObject), []);
  });

  it('operator remove --purge removes the operator and the CRD: the cluster is as it was', async () => {
    if (operator) {
      operator.child.kill('SIGTERM');
      await operator.exited;
      operator = undefined;
    }
    const r = await cli('operator', 'remove', '--purge');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      'deployment.apps/meshop-operator deleted',
      'rolebinding.rbac.authorization.k8s.io/meshop-operator-leader-election deleted',
      'role.rbac.authorization.k8s.io/meshop-operator-leader-election deleted',
      'clusterrolebinding.rbac.authorization.k8s.io/meshop-operator-workload-restarts deleted',
      'clusterrole.rbac.authorization.k8s.io/meshop-operator-workload-restarts deleted',
      'clusterrolebinding.rbac.authorization.k8s.io/meshop-operator deleted',
      'clusterrole.rbac.authorization.k8s.io/meshop-operator deleted',
      'serviceaccount/meshop-operator deleted',
      'clusterrole.rbac.authorization.k8s.io/meshop-meshconfig-escalate deleted',
      'validatingadmissionpolicybinding.admissionregistration.k8s.io/meshop-meshconfig-restricted-fields deleted',
      'validatingadmissionpolicy.admissionregistration.k8s.io/meshop-meshconfig-restricted-fields deleted',
      'namespace/meshop-system deleted',
      'customresourcedefinition.apiextensions.k8s.io/meshconfigs.meshop.dev deleted',
    ]);
    // The namespace controller may still be finishing what the API server already reports gone.
    await eventually(
      'cluster back to how it was',
      async () => {
        const now = await clusterObjects(kube);
        return JSON.stringify(now) === JSON.stringify(initially);
      },
      60_000,
    ).catch(async (err: unknown) => {
      const now = await clusterObjects(kube);
      assert.deepEqual(now, initially, (err as Error).message);
    });
  });
});
