// `meshop manifest generate` as a process: the YAML stream on stdout, a file per component with -o, --set with
// istioctl's paths, and bad input reported in full on stderr with exit code 2 and no manifest.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const bin = fileURLToPath(new URL('../../../bin/meshop.js', import.meta.url));

function meshop(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function kinds(yaml: string): string[] {
  return parseAllDocuments(yaml).map((d) => {
    const o = d.toJS() as { kind: string; metadata: { name: string } };
    return `${o.kind}/${o.metadata.name}`;
  });
}

describe('meshop manifest generate', () => {
  it('prints the default profile as one YAML stream', () => {
    const r = meshop('manifest', 'generate');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(kinds(r.stdout).length, 41);
  });

  it('takes istioctl --set paths', () => {
    const r = meshop('manifest', 'generate', '--set', 'profile=demo', '--set', 'revision=canary');
    assert.equal(r.code, 0, r.stderr);
    const objects = kinds(r.stdout);
    assert.ok(objects.includes('Deployment/istiod-canary'));
    assert.ok(objects.includes('Deployment/istio-egressgateway'));
  });

  it('reads a MeshConfig piped from meshop convert on stdin (the istioctl migration path)', () => {
    // GIVEN an IstioOperator file
    const dir = mkdtempSync(join(tmpdir(), 'meshop-pipe-'));
    const iop = join(dir, 'iop.yaml');
    writeFileSync(
      iop,
      'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nspec: {revision: canary}\n',
    );
    // WHEN it is converted and rendered in one pipe, where generate reads before anything was written (the
    // writer waits first, as a slow one would)
    const node = JSON.stringify(process.execPath);
    const cli = JSON.stringify(bin);
    const r = spawnSync(
      'sh',
      ['-c', `(sleep 3; ${node} ${cli} convert -f ${iop}) | ${node} ${cli} manifest generate -f -`],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    rmSync(dir, { recursive: true });
    // THEN the manifest is the converted spec's, with no read error
    assert.equal(r.status, 0, r.stderr);
    assert.ok(kinds(r.stdout).includes('Deployment/istiod-canary'));
  });

  it('writes a numbered file per component with -o', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshop-manifest-'));
    try {
      const r = meshop('manifest', 'generate', '-o', dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.deepEqual(readdirSync(dir).sort(), [
        '1-base.yaml',
        '2-pilot.yaml',
        '3-webhooks.yaml',
        '4-ingressGateways-istio-ingressgateway.yaml',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every problem of a bad file with its field path, exit 2, no manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshop-manifest-'));
    try {
      const file = join(dir, 'bad.yaml');
      const gw = '{ name: istio-ingressgateway }';
      writeFileSync(
        file,
        `apiVersion: meshop.dev/v1alpha1\nkind: MeshConfig\nmetadata: { name: bad }\nspec:\n  profile: nope\n  revision: 1.30.8\n  components: { ingressGateways: [${gw}, ${gw}] }\n`,
      );
      const r = meshop('manifest', 'generate', '-f', file);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^meshop: invalid MeshConfig \(2 problems\):/);
      assert.match(r.stderr, /spec\.revision/);
      assert.match(r.stderr, /spec\.components\.ingressGateways\[1\]/);
      assert.ok(!/\n\s+at /.test(r.stderr), 'no stack trace');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses what the release's own definitions refuse, every problem listed, exit 2, no manifest", () => {
    const r = meshop(
      'manifest',
      'generate',
      '--set',
      'meshConfig.accessLogFil=/dev/stdout',
      '--set',
      'values.pilot.autoscaleEnabeld=false',
      '--set',
      'components.pilot.k8s.resources.requests.cpu=1x00m',
    );
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'meshop: cannot render (3 problems):',
      '  spec.meshConfig.accessLogFil: unknown field (did you mean "accessLogFile"?)',
      '  spec.values.pilot.autoscaleEnabeld: unknown field (did you mean "autoscaleEnabled"?)',
      '  spec.components.pilot.k8s.resources.requests.cpu: "1x00m" is not a quantity (e.g. 100m, 1.5, 128Mi)',
    ]);
  });

  it('refuses a spec that is not a map instead of rendering an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshop-manifest-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(
        file,
        'apiVersion: meshop.dev/v1alpha1\nkind: MeshConfig\nmetadata: { name: bad }\nspec: 5\n',
      );
      const r = meshop('manifest', 'generate', '-f', file);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^ {2}spec: must be an object, not number 5$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed --set in one line', () => {
    const r = meshop('manifest', 'generate', '--set', 'values.pilot');
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
