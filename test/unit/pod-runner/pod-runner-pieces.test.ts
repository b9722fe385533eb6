// The pod runner's pure pieces: the mount script run inside a pod's mount namespace quotes every path, KWOK's
// pod-ready stage leaves exactly the runner's pods alone, and only Services that select a process-run pod get a
// listener on their ClusterIP.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { mountScript } from '../../cluster/pods/container-process.ts';
import { handledLabels, writePodReadyStage } from '../../cluster/pods/handled-pods.ts';
import type { PodWorker } from '../../cluster/pods/pod-worker.ts';
import { routesFor } from '../../cluster/pods/service-forwarder.ts';

describe('pod runner pieces', () => {
  it('mount script: each mount quoted, then the program exec-ed with its own arguments', () => {
    // GIVEN a path with a quote in it and a program that prints its arguments
    const script = mountScript([], "/tmp/it's here");
    assert.match(script, /cd '\/tmp\/it'\\''s here' && exec "\$@"$/);
    const withMount = mountScript([{ source: '/a b', target: '/var/run/x' }], '/w');
    assert.ok(withMount.startsWith("mkdir -p '/var/run/x' && mount --bind '/a b' '/var/run/x' && "));
    // WHEN the mount-free script runs in a shell, THEN the arguments arrive unchanged
    const out = execFileSync('/bin/sh', ['-c', mountScript([], '/'), 'x', '/bin/echo', 'a b', '$(c)']);
    assert.equal(out.toString(), 'a b $(c)\n');
  });

  it("KWOK's pod-ready stage gains one NotIn clause per runner label and keeps its own", () => {
    // GIVEN KWOK's stage with its two clauses
    const stages = mkdtempSync(join(tmpdir(), 'stages-'));
    const original = {
      kind: 'Stage',
      spec: {
        selector: {
          matchExpressions: [
            { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
            { key: '.status.podIP', operator: 'DoesNotExist' },
          ],
        },
      },
    };
    writeFileSync(join(stages, 'pod-ready.yaml'), JSON.stringify(original));
    const out = mkdtempSync(join(tmpdir(), 'cluster-'));
    // WHEN rewritten
    const stage = parse(readFileSync(writePodReadyStage(stages, out), 'utf8')) as typeof original;
    // THEN the original clauses stay and each runner label is excluded
    const exprs = stage.spec.selector.matchExpressions as {
      key: string;
      operator: string;
      values?: string[];
    }[];
    assert.equal(exprs.length, 2 + Object.keys(handledLabels).length);
    assert.deepEqual(
      exprs.find((e) => e.key === '.metadata.labels."app"'),
      {
        key: '.metadata.labels."app"',
        operator: 'NotIn',
        values: ['istiod'],
      },
    );
  });

  it('routes only Services whose selector matches a process-run pod in their namespace', () => {
    const worker = (ns: string, labels: Record<string, string>, runsProcess: boolean) =>
      ({ runsProcess, pod: { metadata: { namespace: ns, labels } } }) as unknown as PodWorker;
    const svc = (ns: string, ip: string, selector: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace: ns, name: 'istiod' },
      spec: { clusterIP: ip, selector, ports: [{ port: 443, targetPort: 15017 }, { port: 15012 }] },
    });
    const workers = [
      worker('istio-system', { app: 'istiod', istio: 'pilot' }, true),
      worker('b', { app: 'x' }, false),
    ];
    const routes = routesFor(
      [svc('istio-system', '127.96.0.10', { app: 'istiod' }), svc('b', '127.96.0.11', { app: 'x' })],
      workers,
    );
    assert.deepEqual([...routes.keys()].sort(), ['127.96.0.10:15012', '127.96.0.10:443']);
    assert.equal(routes.get('127.96.0.10:443')?.targetPort, 15017);
  });
});
