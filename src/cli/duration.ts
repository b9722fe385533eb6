// Durations as kubectl and istioctl spell them (`--timeout 5m`, `90s`, `1h30m`, `500ms`): Go's syntax without
// the rarely used units. A bare number is seconds, as `kubectl wait --timeout 30` takes it.
import { InvalidArgumentError } from 'commander';
// The module alone: src/api/index.ts would load the whole API (schemas) into every command's start-up.
import { goDurationMs } from '../api/duration.ts';

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  return goDurationMs(text);
}

/** commander's argParser for duration flags: a bad value is a usage error (exit 2). */
export function durationOption(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new InvalidArgumentError('expected a positive duration such as 90s, 5m or 1h30m');
  }
  return ms;
}

/** For messages: the largest units that fit, e.g. 5m, 1m30s, 2.5s. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toString()}s`;
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h.toString()}h` : '', m ? `${m.toString()}m` : '', s ? `${s.toString()}s` : ''].join('');
}
