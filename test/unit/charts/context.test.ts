// The template context: .Release, .Chart, .Capabilities, .Template and .Files as Helm provides them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { outputOf, renderDir, testdata } from './engine-fixture.ts';

interface ConfigMap {
  data: Record<string, string>;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

async function contextData(extra: Parameters<typeof renderDir>[2] = {}): Promise<ConfigMap> {
  const result = await renderDir(testdata('basic'), {}, extra);
  return parse(outputOf(result, 'context.gotmpl')) as ConfigMap;
}

describe('template context', () => {
  it('exposes the release as `helm template` does for a first install', async () => {
    const cm = await contextData();
    assert.equal(cm.metadata.name, 'demo-context');
    assert.equal(cm.metadata.namespace, 'demo-ns');
    assert.deepEqual(
      [cm.data.service, cm.data.isInstall, cm.data.isUpgrade, cm.data.revision],
      ['Helm', 'true', 'false', '1'],
    );
  });

  it('marks an upgrade and carries its revision', async () => {
    const cm = await contextData({
      release: { name: 'demo', namespace: 'demo-ns', isUpgrade: true, revision: 4 },
    });
    assert.deepEqual([cm.data.isInstall, cm.data.isUpgrade, cm.data.revision], ['false', 'true', '4']);
  });

  it('exposes Chart.yaml with Helm field names, absent fields as empty strings', async () => {
    const cm = await contextData();
    assert.equal(cm.data.chart, 'basic-0.1.0+build.7');
    assert.equal(cm.data.appVersion, '1.2.3');
    assert.equal(cm.data.home, '');
  });

  it('exposes capabilities, Helm’s default Kubernetes version unless given', async () => {
    const defaults = await contextData();
    assert.deepEqual([defaults.data.kubeVersion, defaults.data.kubeMinor], ['v1.20.0', '20']);
    const gke = await contextData({
      capabilities: { kubeVersion: 'v1.33.2-gke.100', apiVersions: ['apps/v1'] },
    });
    assert.deepEqual(
      [gke.data.kubeVersion, gke.data.kubeGitVersion, gke.data.kubeMinor],
      ['v1.33.2-gke.100', 'v1.33.2-gke.100', '33'],
    );
    assert.deepEqual([gke.data.hasApps, gke.data.hasMissing], ['true', 'false']);
  });

  it('names the template being rendered', async () => {
    const cm = await contextData();
    assert.equal(cm.data.templateName, 'basic/templates/context.gotmpl');
    assert.equal(cm.data.templateBase, 'basic/templates');
  });

  it('renders partials through include and never on their own', async () => {
    const result = await renderDir(testdata('basic'));
    const cm = parse(outputOf(result, 'context.gotmpl')) as ConfigMap;
    assert.deepEqual(cm.metadata.labels, {
      'app.kubernetes.io/name': 'basic',
      'app.kubernetes.io/instance': 'demo',
    });
    assert.ok(result.templates.every((t) => !t.name.includes('/_')));
  });

  it('reads chart files with Get, Lines and Glob(...).AsConfig', async () => {
    const result = await renderDir(testdata('basic'));
    const cm = parse(outputOf(result, 'files.gotmpl')) as ConfigMap;
    assert.equal(cm.data.greeting, 'hello from a file\nsecond line');
    assert.equal(cm.data.absent, '');
    assert.equal(cm.data.lines, '2');
    assert.equal(cm.data['a.properties'], 'a=1\n');
    assert.equal(cm.data['b.properties'], 'b=2\n');
  });

  it('renders NOTES.txt apart from the manifests', async () => {
    const result = await renderDir(testdata('basic'));
    assert.equal(result.notes, 'Installed demo.\n');
    assert.ok(result.templates.every((t) => !t.name.endsWith('NOTES.txt')));
  });
});
