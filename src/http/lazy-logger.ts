/**
 * Fastify gives every request a child logger carrying its request id. Most requests never log
 * (only errors and slow ones do, by default), so the child is made on first use instead of for
 * every request: building a pino child is a measurable share of a cheap route's cost.
 */
import type { FastifyBaseLogger } from 'fastify';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const levels: Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function lazyChildLogger(parent: FastifyBaseLogger, bindings: Record<string, unknown>, options: object): FastifyBaseLogger {
  let child: FastifyBaseLogger | undefined;
  const real = (): FastifyBaseLogger => (child ??= parent.child(bindings, options));
  const lazy = {
    get level() {
      return child?.level ?? parent.level;
    },
    set level(value: string) {
      real().level = value;
    },
    child: (more: Record<string, unknown>, moreOptions?: object) => real().child(more, moreOptions),
  } as FastifyBaseLogger;
  for (const level of levels) {
    // Skip building the child when the level is off anyway.
    (lazy as unknown as Record<Level, (...args: unknown[]) => void>)[level] = (...args: unknown[]) => {
      const enabled = (parent as FastifyBaseLogger & { isLevelEnabled?: (l: string) => boolean }).isLevelEnabled;
      if (level !== 'silent' && enabled && !enabled.call(parent, level)) return;
      (real()[level] as (...a: unknown[]) => void)(...args);
    };
  }
  return lazy;
}
