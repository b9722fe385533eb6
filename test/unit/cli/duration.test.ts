// Durations as kubectl spells them, for --timeout.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationOption, formatDuration, parseDuration } from '../../../src/cli/duration.ts';

describe('durations', () => {
  it('parses Go-style durations and bare seconds', () => {
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('90s'), 90_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('30'), 30_000);
  });

  it('refuses anything else, as a usage error', () => {
    for (const bad of ['', '5 m', 'm', '5d', '-5s', 'five minutes'])
      assert.equal(parseDuration(bad), undefined, bad);
    assert.throws(() => durationOption('0s'), { code: 'commander.invalidArgument' });
    assert.throws(() => durationOption('soon'), /expected a positive duration/);
  });

  it('formats short waits to a tenth of a second and long ones in whole units', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(3240), '3.2s');
    assert.equal(formatDuration(65_000), '1m5s');
    assert.equal(formatDuration(600_000), '10m');
    assert.equal(formatDuration(3_723_000), '1h2m3s');
  });
});
