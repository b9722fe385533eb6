// GIVEN a watch opened through src/kube, WHEN objects change over more than a minute, THEN the one stream
// delivers every change in order and is still open at the end. The watch selects the test's own ConfigMap by
// name: istiod writes ConfigMaps (istio-ca-root-cert) into every namespace, this one included.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { KubeClient, WatchEvent } from '../../src/kube/index.ts';
import { useSharedNamespace } from '../support/shared-namespace.ts';

const cmType = { apiVersion: 'v1', kind: 'ConfigMap' };
const spanMs = 65_000;
const stepMs = 5_000;

describe('a long-lived watch', () => {
  const fx = useSharedNamespace('watch');
  let kube: KubeClient;
  let ns: string;
  before(() => {
    ({ kube, ns } = fx);
  });

  it('stays healthy for more than 60 seconds while objects change', { timeout: 120_000 }, async () => {
    const fieldSelector = 'metadata.name=ticker';
    const { resourceVersion } = await kube.objects.list(cmType, { namespace: ns, fieldSelector });
    const abort = new AbortController();
    const seen: WatchEvent[] = [];
    let ended = false;
    const consuming = (async () => {
      try {
        for await (const ev of kube.objects.watch(cmType, {
          namespace: ns,
          fieldSelector,
          resourceVersion,
          signal: abort.signal,
        })) {
          if (ev.type !== 'BOOKMARK') seen.push(ev);
        }
      } catch (err) {
        if (!abort.signal.aborted) throw err;
      }
      ended = !abort.signal.aborted;
    })();

    const started = Date.now();
    let writes = 0;
    while (Date.now() - started < spanMs) {
      await kube.objects.apply(
        { ...cmType, metadata: { name: 'ticker', namespace: ns }, data: { tick: String(writes) } },
        { fieldManager: 'meshop-test' },
      );
      writes++;
      await new Promise((r) => setTimeout(r, stepMs));
    }
    // Wait for the stream to deliver the last change before closing it.
    const deadline = Date.now() + 10_000;
    while (seen.length < writes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ended, false, 'the watch stream is still open after the whole span');
    abort.abort();
    await consuming;

    assert.ok(Date.now() - started > 60_000);
    assert.equal(seen.length, writes);
    assert.equal(seen[0]?.type, 'ADDED');
    assert.deepEqual(
      seen.map((e) => (e.object as { data?: { tick?: string } }).data?.tick),
      Array.from({ length: writes }, (_, i) => String(i)),
    );
    assert.ok(seen.slice(1).every((e) => e.type === 'MODIFIED'));
  });
});
