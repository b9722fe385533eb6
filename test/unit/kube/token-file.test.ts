import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TokenFile } from '../../../src/kube/token-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshop-token-'));
let files = 0;

/** A token file and a TokenFile reading it on a clock the test moves by hand. */
function rotatingToken(first: string): { path: string; token: TokenFile; advance: (ms: number) => void } {
  const path = join(dir, `token-${String(++files)}`);
  writeFileSync(path, first);
  let now = 1_000_000;
  const token = new TokenFile({ path, maxAgeMs: 60_000, now: () => now });
  return { path, token, advance: (ms) => (now += ms) };
}

describe('TokenFile', () => {
  it('picks up a rotated token once the cached one is a minute old', async () => {
    // GIVEN a token read at start
    const { path, token, advance } = rotatingToken('first\n');
    assert.equal(token.load(), 'first', 'the trailing newline is not part of the token');
    // WHEN the kubelet rotates it
    writeFileSync(path, 'second');
    // THEN the cached token is used until it is a minute old, and the new one after
    advance(59_999);
    assert.equal(await token.current(), 'first');
    advance(1);
    assert.equal(await token.current(), 'second');
  });

  it('keeps the previous token when a re-read fails, and retries on the next request', async () => {
    // GIVEN a token read at start, and a file that is gone when the minute is over
    const { path, token, advance } = rotatingToken('first');
    token.load();
    rmSync(path);
    advance(60_000);
    // WHEN a request needs a token / THEN it still gets the last good one
    assert.equal(await token.current(), 'first');
    // AND WHEN the file is back / THEN the very next request reads it
    writeFileSync(path, 'second');
    assert.equal(await token.current(), 'second');
  });

  it('fails, naming the file, when there never was a token', async () => {
    const { path, token } = rotatingToken('');
    assert.throws(() => token.load(), new RegExp(`^Error: token file ${path} is empty$`));
    rmSync(path);
    await assert.rejects(token.current(), new RegExp(`^Error: token file ${path} not found$`));
  });
});
