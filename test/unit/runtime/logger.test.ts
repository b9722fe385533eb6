// JSON logs: one object per line, constant message, the fixed field names, child fields, readable errors.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../../../src/runtime/logger.ts';
import type { LoggerOptions } from '../../../src/runtime/logger.ts';

interface Line {
  message?: string;
  level?: string;
  timestamp?: string;
  error?: string;
  [field: string]: unknown;
}

function capture(options: LoggerOptions = {}) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const logger = createLogger({ ...options, stream });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Line);
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON object per line with the message and fields', () => {
    const { logger, lines } = capture({ fields: { component: 'reconciler' } });
    logger.info('Applied Deployment', {
      mesh: 'default',
      kind: 'Deployment',
      name: 'istiod',
      durationMs: 12,
    });
    const line = lines()[0]!;
    assert.equal(line.message, 'Applied Deployment');
    assert.equal(line.level, 'info');
    assert.equal(line.component, 'reconciler');
    assert.equal(line.mesh, 'default');
    assert.equal(line.durationMs, 12);
    assert.equal(typeof line.timestamp, 'string');
  });

  it('adds a child’s fields to every line it writes', () => {
    const { logger, lines } = capture();
    const child = logger.child({ reconcileID: 'r-1', revision: 'default' });
    child.info('Reconciling');
    child.child({ namespace: 'istio-system' }).warn('Requeued');
    assert.deepEqual(
      lines().map((l) => [l.reconcileID, l.revision, l.namespace]),
      [
        ['r-1', 'default', undefined],
        ['r-1', 'default', 'istio-system'],
      ],
    );
  });

  it('writes an error as its message and causes, not as {}', () => {
    const { logger, lines } = capture();
    const cause = new Error('connection refused');
    logger.error('Reconcile failed', { error: new Error('apply Deployment istio-system/istiod', { cause }) });
    assert.equal(lines()[0]?.error, 'apply Deployment istio-system/istiod: connection refused');
  });

  it('drops lines below its level', () => {
    const { logger, lines } = capture({ level: 'info' });
    logger.debug('Noise');
    logger.info('Signal');
    assert.deepEqual(
      lines().map((l) => l.message),
      ['Signal'],
    );
  });
});
