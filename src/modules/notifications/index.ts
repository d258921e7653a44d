/** Starting this process's notification listener: live streams here, and e-mail where jobs run. */
import type { Services } from '../../services.ts';
import { queueMail } from './jobs.ts';
import { NotificationHub } from './live.ts';

export { NotificationHub } from './live.ts';

export async function startNotifications(services: Services, options: { heartbeatMs?: number } = {}): Promise<NotificationHub> {
  const hub = new NotificationHub({
    database: services.database,
    ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    // Processes that run jobs queue the e-mail (a web-only process leaves it to them); it is
    // idempotent, so several workers hearing the same NOTIFY queue each mail once.
    ...(services.config.role !== 'web' ? { onCreated: (ids: string[]) => queueMail(services, ids) } : {}),
  });
  await hub.start();
  return hub;
}
