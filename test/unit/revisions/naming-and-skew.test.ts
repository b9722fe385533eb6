// Which revision a spec asks for, and which version moves the skew guard refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultVersion } from '../../../src/catalog/index.ts';
import {
  desiredRevision,
  parseMinor,
  revisionNameFor,
  versionSkewProblem,
} from '../../../src/revisions/index.ts';

const annotation = 'meshop.dev/allow-version-skew';

describe('desiredRevision', () => {
  it('is the unrevisioned control plane for InPlace without a revision', () => {
    assert.equal(desiredRevision('prod', { version: '1.30.2' }), 'default');
    assert.equal(desiredRevision('prod', { updateStrategy: { type: 'InPlace' } }), 'default');
  });

  it('gives every version a revision of its own with RevisionBased', () => {
    const spec = { version: '1.30.2', updateStrategy: { type: 'RevisionBased' as const } };
    assert.equal(desiredRevision('default', spec), 'default-1-30-2');
    assert.equal(desiredRevision('prod', { ...spec, version: '1.31.0' }), 'prod-1-31-0');
    // Unset version: the catalog's newest.
    assert.equal(
      desiredRevision('prod', { updateStrategy: { type: 'RevisionBased' } }),
      revisionNameFor('prod', defaultVersion),
    );
  });

  it('keeps the revision the spec names, with either strategy', () => {
    assert.equal(
      desiredRevision('m', { revision: 'stable', updateStrategy: { type: 'RevisionBased' } }),
      'stable',
    );
    assert.equal(desiredRevision('m', { values: { revision: 'canary' } }), 'canary');
  });

  it('makes a DNS label of any mesh name and version', () => {
    assert.equal(revisionNameFor('m', '1.31.0'), 'm-1-31-0');
    const long = revisionNameFor('a'.repeat(60), '1.30.2');
    assert.ok(long.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(long), long);
  });
});

describe('versionSkewProblem', () => {
  it('allows the same minor, one minor up and a first install', () => {
    assert.equal(versionSkewProblem('1.30.8', ['1.30.1'], annotation), undefined);
    assert.equal(versionSkewProblem('1.30.0', ['1.29.4'], annotation), undefined);
    assert.equal(versionSkewProblem('1.31.0', ['1.30.8'], annotation), undefined);
    assert.equal(versionSkewProblem('1.30.0', [], annotation), undefined);
  });

  it('refuses a jump of more than one minor, saying where to go first and how to override', () => {
    const problem = versionSkewProblem('1.30.0', ['1.28.2'], annotation) ?? '';
    assert.match(problem, /2 minor releases ahead of 1\.28\.2/);
    assert.match(problem, /move to 1\.29 first/);
    assert.match(problem, /meshop\.dev\/allow-version-skew="true"/);
  });

  it('measures from the oldest revision still running', () => {
    assert.match(versionSkewProblem('1.31.0', ['1.30.1', '1.29.0'], annotation) ?? '', /ahead of 1\.29\.0/);
  });

  it('refuses a downgrade below the oldest running minor, and allows rolling back to it', () => {
    assert.match(versionSkewProblem('1.28.0', ['1.29.1'], annotation) ?? '', /older than 1\.29\.1/);
    assert.equal(versionSkewProblem('1.29.0', ['1.29.1', '1.30.0'], annotation), undefined);
  });

  it('refuses what is not a version', () => {
    assert.match(versionSkewProblem('latest', ['1.29.1'], annotation) ?? '', /not major\.minor/);
    assert.deepEqual(parseMinor('1.31.0'), { major: 1, minor: 31 });
    assert.equal(parseMinor('x'), undefined);
  });
});
