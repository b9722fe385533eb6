// `meshop convert`, run as the user runs it: IstioOperator files in, a MeshConfig on stdout, a report of what
// did not carry over on stderr, and the documented exit codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateMeshConfig } from '../../../src/api/index.ts';
import { knownVersions } from '../../../src/catalog/index.ts';
import { profileNames } from '../../../src/profiles/index.ts';

const meshop = fileURLToPath(new URL('../../../bin/meshop.js', import.meta.url));
const fullIop = fileURLToPath(new URL('../api/testdata/istio-operator.yaml', import.meta.url));
const legacyIop = fileURLToPath(new URL('../convert/testdata/legacy-istio-operator.yaml', import.meta.url));
const overlayIop = fileURLToPath(new URL('../convert/testdata/production-overlay.yaml', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'meshop-convert-'));

type Json = Record<string, unknown>;

function run(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [meshop, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
    ...(input === undefined ? {} : { input }),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

describe('meshop convert', () => {
  it('round-trips a full IstioOperator: same spec, the version inferred, notes on stderr', () => {
    // GIVEN the production-style IstioOperator
    const iop = parse(readFileSync(fullIop, 'utf8')) as Json;
    // WHEN it is converted
    const r = run(['convert', '-f', fullIop]);
    // THEN stdout is a valid MeshConfig with the IstioOperator's spec, and stderr only has notes
    assert.equal(r.code, 0);
    const meshConfig = parse(r.stdout) as Json;
    assert.deepEqual(meshConfig, {
      apiVersion: 'meshop.dev/v1alpha1',
      kind: 'MeshConfig',
      metadata: { name: 'control-plane' },
      spec: { version: '1.30.8', ...(iop.spec as Json) },
    });
    assert.deepEqual(validateMeshConfig(meshConfig, { profiles: profileNames, versions: knownVersions }), []);
    assert.deepEqual(lines(r.stderr), [
      'note: metadata.namespace "istio-system" not carried over: a MeshConfig is cluster-scoped',
      'note: spec.version set to "1.30.8": spec.tag "1.30.8" is that release\'s',
    ]);
  });

  it('reports every dropped field on its own line, with path and reason, and still writes the rest', () => {
    const r = run(['convert', '-f', legacyIop, '--name', 'mesh']);
    assert.equal(r.code, 0);
    const dropped = lines(r.stderr).filter((line) => line.startsWith('dropped '));
    assert.deepEqual(dropped, [
      'dropped metadata.annotations["install.istio.io/ignoreReconcile"]: read only by Istio\'s in-cluster ' +
        'operator; meshop does not act on it',
      'dropped spec.addonComponents: unknown field',
      'dropped spec.components.telemetry: unknown field',
      'dropped spec.components.ingressGateways[0].k8s.hpaSpec.minReplicas: must not exceed maxReplicas (3)',
    ]);
    assert.match(r.stderr, /^note: status not carried over/m);
    const meshConfig = parse(r.stdout) as Json;
    assert.equal((meshConfig.metadata as Json).name, 'mesh');
    assert.equal((meshConfig.spec as Json).addonComponents, undefined);
    assert.equal(meshConfig.status, undefined);
  });

  it('--strict: exit 2 and nothing on stdout when a field was dropped', () => {
    const r = run(['convert', '-f', legacyIop, '--strict']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      lines(r.stderr).at(-1),
      'meshop: --strict: 4 field(s) cannot be carried over; nothing written',
    );
  });

  it('--strict: notes alone do not fail the conversion', () => {
    const r = run(['convert', '-f', fullIop, '--strict']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^apiVersion: meshop\.dev\/v1alpha1\n/);
  });

  it('several -f files are merged in order, later ones winning', () => {
    const r = run(['convert', '-f', fullIop, '-f', overlayIop]);
    assert.equal(r.code, 0);
    const meshConfig = parse(r.stdout) as Json;
    const components = (meshConfig.spec as Json).components as Json;
    assert.equal((meshConfig.metadata as Json).name, 'production');
    assert.deepEqual(components.ingressGateways, [{ name: 'istio-ingressgateway', enabled: true }]);
    assert.equal(((components.pilot as Json).k8s as Json).replicaCount, 3);
    assert.equal((meshConfig.spec as Json).hub, 'docker.io/istio');
  });

  it('-f - reads the IstioOperator from stdin', () => {
    const r = run(['convert', '-f', '-'], readFileSync(overlayIop, 'utf8'));
    assert.equal(r.code, 0);
    assert.equal(((parse(r.stdout) as Json).metadata as Json).name, 'production');
  });
});

describe('meshop convert with bad input', () => {
  it('a file that is not an IstioOperator: one line naming it, exit 2', () => {
    const file = join(dir, 'configmap.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const r = run(['convert', '-f', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `meshop: ${file}: not an IstioOperator (expected apiVersion install.istio.io/v1alpha1, kind ` +
        'IstioOperator; found apiVersion "v1", kind "ConfigMap")\n',
    );
  });

  it('invalid YAML, an empty file and a missing file: one line each, exit 2', () => {
    const invalid = join(dir, 'invalid.yaml');
    const empty = join(dir, 'empty.yaml');
    writeFileSync(invalid, 'spec: {profile: [demo\n');
    writeFileSync(empty, '# nothing here\n');
    const cases: [string, RegExp][] = [
      [invalid, /^meshop: .*invalid\.yaml: not valid YAML: .+\n$/],
      [empty, /^meshop: .*empty\.yaml: no IstioOperator in the file\n$/],
      [join(dir, 'missing.yaml'), /^meshop: .*missing\.yaml: file not found\n$/],
    ];
    for (const [file, message] of cases) {
      const r = run(['convert', '-f', file]);
      assert.equal(r.code, 2, file);
      assert.match(r.stderr, message);
    }
  });

  it('no -f: a usage error, exit 2', () => {
    const r = run(['convert']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /required option '-f, --filename <file>' not specified/);
  });

  it('--help explains the command with examples', () => {
    const r = run(['convert', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--strict/);
    assert.match(r.stdout, /Examples:\n[\s\S]*meshop convert -f istio-operator\.yaml/);
  });
});
