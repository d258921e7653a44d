/** Housekeeping of the foundation: expired sessions and old throttle rows, and a nightly audit check. */
import { z } from 'zod';
import { pruneExpiredSessions } from '../modules/auth/sessions.ts';
import { pruneThrottle } from '../modules/auth/throttle.ts';
import { verifyAuditChain } from '../modules/audit/verify.ts';
import { defineJob } from './define-job.ts';

export const pruneSessionsJob = defineJob({
  name: 'maintenance.prune-sessions',
  payload: z.strictObject({}),
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  schedule: { cron: '17 * * * *', data: {} },
  async handle(_payload, { services, log }) {
    const sessions = await pruneExpiredSessions(services.db);
    const throttle = await pruneThrottle(services.db);
    log('pruned expired sessions', { sessions, throttle });
    return { sessions, throttle };
  },
});

export const verifyAuditJob = defineJob({
  name: 'audit.verify-chain',
  payload: z.strictObject({}),
  retry: { limit: 2, delaySeconds: 300, backoff: false },
  expireInSeconds: 3600,
  schedule: { cron: '30 2 * * *', tz: 'Asia/Makassar', data: {} },
  async handle(_payload, { services, log }) {
    const result = await verifyAuditChain(services.db);
    log(result.ok ? 'audit chain intact' : 'AUDIT CHAIN BROKEN', { ...result });
    return result;
  },
});
