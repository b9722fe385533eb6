// The live progress view under a pseudo-terminal (util-linux `script`): listr2 redraws rows in place with
// cursor movements, and the last frame shows each component's final state.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const driver = fileURLToPath(new URL('./fixtures/live-progress-driver.ts', import.meta.url));
// Control sequences: CSI ... letter (cursor movement, erase, colour, synchronized-output brackets).
const esc = String.fromCharCode(27);
const csi = (body: string, flags = ''): RegExp => new RegExp(`${esc}\\[${body}`, flags);
const ansi = csi('[0-9;?]*[A-Za-z]', 'g');

/** Runs the driver on a 100-column pseudo-terminal; returns the raw bytes and the lines of the last frame. */
function underTerminal(arg: string): { raw: string; last: string[] } {
  const command = `stty cols 100 rows 40; ${process.execPath} ${driver} ${arg}`;
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // Each frame starts by erasing the previous one; the last frame is what stays on screen.
  const frames = r.stdout.split(`${esc}[?2026h`);
  const last = (frames.at(-1) ?? '')
    .replace(ansi, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return { raw: r.stdout, last };
}

describe('the live progress view', () => {
  it('redraws in place on a terminal and ends with every component ready', () => {
    const { raw, last } = underTerminal('ok');
    assert.match(raw, csi('\\?25l'), 'hides the cursor while drawing');
    assert.match(raw, csi('\\d+A'), 'moves the cursor up to redraw');
    assert.match(raw, csi('2K'), 'erases lines it redraws');
    assert.match(raw.replace(ansi, ''), /pilot: applying/, 'showed a component rolling out');
    assert.deepEqual(
      last.map((l) => l.replace(/ \[[\d.ms]+\]$/, '')),
      ['✔ meshconfig.meshop.dev/demo: ready', '✔ pilot: ready', '✔ ingressgateway: ready'],
    );
  });

  it('marks a failed component with its name and message', () => {
    const { last } = underTerminal('fail');
    assert.ok(last.includes('✖ ingressgateway: image pull failed'), last.join('\n'));
    assert.ok(
      last.some((l) => l.startsWith('✔ pilot: ready')),
      last.join('\n'),
    );
  });
});
