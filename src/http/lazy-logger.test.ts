import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { lazyChildLogger } from './lazy-logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream) as unknown as FastifyBaseLogger, lines };
}

test('logs through a child carrying the bindings, made only when something is logged', async () => {
  const { logger, lines } = capture('info');
  let children = 0;
  const counting = Object.assign(Object.create(logger) as FastifyBaseLogger, {
    child: (b: Record<string, unknown>, o?: object) => {
      children += 1;
      return logger.child(b, o);
    },
  });
  const quiet = lazyChildLogger(counting, { reqId: 'r1' }, {});
  quiet.debug('not at this level');
  assert.equal(children, 0);
  const loud = lazyChildLogger(counting, { reqId: 'r2' }, {});
  loud.info({ status: 500 }, 'request');
  loud.error('again');
  await new Promise((r) => setImmediate(r));
  assert.equal(children, 1);
  assert.deepEqual(lines.map((l) => [l.reqId, l.msg]), [['r2', 'request'], ['r2', 'again']]);
  assert.equal(lines[0]!.status, 500);
  assert.equal(loud.level, 'info');
});
