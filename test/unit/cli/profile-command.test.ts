// `meshop profile list|dump`, run as the user runs it: the real executable, its stdout, stderr and exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateMeshConfig } from '../../../src/api/index.ts';
import { knownVersions } from '../../../src/catalog/index.ts';
import { profileNames } from '../../../src/profiles/index.ts';

const meshop = fileURLToPath(new URL('../../../bin/meshop.js', import.meta.url));

type Json = Record<string, unknown>;

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [meshop, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH,
      ...(process.env.MESHOP_CHART_ENGINE_WASM
        ? { MESHOP_CHART_ENGINE_WASM: process.env.MESHOP_CHART_ENGINE_WASM }
        : {}),
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function gatewaysOf(meshConfig: Json, list: string): unknown {
  return ((meshConfig.spec as Json).components as Json)[list];
}

describe('meshop profile list', () => {
  it('prints a table with every profile of the release, its components and its description', () => {
    // WHEN the profiles are listed
    const r = run(['profile', 'list']);
    // THEN there is a header and one row per profile, in the catalogue's order
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    assert.match(header!, /^NAME {3,}COMPONENTS {3,}DESCRIPTION$/);
    assert.deepEqual(
      rows.map((row) => row.split(' ')[0]),
      [...profileNames],
    );
    assert.match(rows[1]!, /^demo +base, pilot, istio-ingressgateway, istio-egressgateway +Showcase/);
    assert.match(r.stdout, /^empty +\(nothing\) +/m);
  });

  it('-o json and -o yaml give the same list as data', () => {
    const json = run(['profile', 'list', '-o', 'json']);
    const yaml = run(['profile', 'list', '-o', 'yaml']);
    assert.equal(json.code, 0);
    assert.equal(yaml.code, 0);
    const profiles = JSON.parse(json.stdout) as { name: string; components: { name: string }[] }[];
    assert.deepEqual(parse(yaml.stdout), profiles);
    assert.deepEqual(
      profiles.map((p) => p.name),
      [...profileNames],
    );
    const ambient = profiles.find((p) => p.name === 'ambient');
    assert.deepEqual(
      ambient?.components.map((c) => c.name),
      ['base', 'pilot', 'cni', 'ztunnel'],
    );
  });

  it('an unknown output format is a usage error (exit 2) naming the choices', () => {
    const r = run(['profile', 'list', '-o', 'xml']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Allowed choices are table, json, yaml/);
  });
});

describe('meshop profile dump', () => {
  it('demo: the full layered spec as a valid MeshConfig, egress gateway enabled', () => {
    // WHEN the demo profile is dumped
    const r = run(['profile', 'dump', 'demo']);
    // THEN stdout is a MeshConfig whose spec holds demo over default
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    const meshConfig = parse(r.stdout) as Json;
    assert.equal(meshConfig.apiVersion, 'meshop.dev/v1alpha1');
    assert.equal(meshConfig.kind, 'MeshConfig');
    assert.equal((meshConfig.spec as Json).profile, 'demo');
    assert.deepEqual(gatewaysOf(meshConfig, 'egressGateways'), [
      { name: 'istio-egressgateway', enabled: true },
    ]);
    assert.deepEqual(gatewaysOf(meshConfig, 'ingressGateways'), [
      { name: 'istio-ingressgateway', enabled: true },
    ]);
    assert.deepEqual(validateMeshConfig(meshConfig, { profiles: profileNames, versions: knownVersions }), []);
  });

  it('--set flags are layered over the profile; -o json prints JSON', () => {
    const r = run([
      'profile',
      'dump',
      'minimal',
      '--set',
      'revision=canary',
      '-s',
      'values.pilot.autoscaleMin=2',
      '-o',
      'json',
    ]);
    assert.equal(r.code, 0);
    const spec = (JSON.parse(r.stdout) as Json).spec as Json;
    assert.equal(spec.revision, 'canary');
    assert.equal(((spec.values as Json).pilot as Json).autoscaleMin, 2);
    assert.equal(spec.profile, 'minimal');
  });

  it('without a name, the default profile', () => {
    const r = run(['profile', 'dump']);
    assert.equal(r.code, 0);
    assert.equal(((parse(r.stdout) as Json).spec as Json).profile, 'default');
  });

  it('an unknown profile: one line naming the known profiles, exit 2', () => {
    const r = run(['profile', 'dump', 'nope']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `meshop: unknown profile "nope" (known: ${profileNames.join(', ')})\n`);
  });

  it('a malformed --set flag: one line, exit 2', () => {
    const r = run(['profile', 'dump', 'demo', '--set', 'revision']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'meshop: --set revision: expected path=value\n');
  });

  it('renders a dumped profile exactly as the profile itself, for every profile of both releases', () => {
    for (const version of knownVersions) {
      for (const name of profileNames) {
        const dumped = run(['profile', 'dump', name, '--version', version]);
        assert.equal(dumped.code, 0, dumped.stderr);
        const dir = mkdtempSync(join(tmpdir(), 'meshop-dump-'));
        try {
          const file = join(dir, 'mesh.yaml');
          writeFileSync(file, dumped.stdout);
          const fromDump = run(['manifest', 'generate', '-f', file]);
          const fromName = run([
            'manifest',
            'generate',
            '--set',
            `profile=${name}`,
            '--set',
            `version=${version}`,
          ]);
          assert.equal(fromDump.code, 0, fromDump.stderr);
          assert.equal(fromName.code, 0, fromName.stderr);
          assert.equal(fromDump.stdout, fromName.stdout, `${version} ${name}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  });

  it('--help explains the command with examples', () => {
    const r = run(['profile', 'dump', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: meshop profile dump \[options\] \[name\]/);
    assert.match(r.stdout, /Examples:\n[\s\S]*meshop profile dump demo\n/);
  });
});
