/**
 * E-mail for notifications, as pg-boss jobs so a slow or failing SMTP server never holds up the
 * request that caused the notification, and a failure is retried with backoff.
 *
 * Why the job is queued after commit rather than inside the causing transaction: notify() runs
 * inside a dozen operations' transactions and knows only the transaction, not the configuration
 * or the queue, and pg-boss sends through its own connection. So the notification row itself is
 * the durable record ("outbox"): every process's listener (live.ts) hears the commit and queues
 * the mail at once, with the notification id as the job id, so several processes hearing the same
 * NOTIFY queue it once; `notifications.mail_queued_at` records it was queued; and the sweep
 * queues whatever a listener missed (a process restarting, a dropped connection) a minute later.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { defineJob } from '../../jobs/define-job.ts';
import type { Services } from '../../services.ts';
import { adminBaseUrl, composeMail, sendMail } from './mail.ts';

export const SEND_MAIL = 'notifications.mail';
export const MAIL_SWEEP = 'notifications.mail-sweep';

/** Notifications older than this are not mailed by the sweep: stale news, or SMTP just turned on. */
const SWEEP_LOOKBACK_MS = 60 * 60_000;
/** Give the listeners this long before the sweep steps in. */
const SWEEP_GRACE_MS = 30_000;

/**
 * Queues the e-mail of these notifications for people who want e-mail. Idempotent: a notification
 * already queued (here or by another process) is skipped. Returns how many were queued.
 */
export async function queueMail(services: Pick<Services, 'db' | 'jobs' | 'config'>, notificationIds: readonly string[]): Promise<number> {
  const jobs = services.jobs;
  if (!services.config.smtpUrl || !jobs || notificationIds.length === 0) return 0;
  const wanted = await services.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.user_id')
    .select('notifications.id')
    .where('notifications.id', 'in', [...notificationIds])
    .where('notifications.mail_queued_at', 'is', null)
    .where('users.notify_email', '=', true).where('users.disabled', '=', false)
    .execute();
  if (wanted.length === 0) return 0;
  // The job id is the notification id: pg-boss inserts it once (ON CONFLICT DO NOTHING).
  for (const row of wanted) await jobs.send(SEND_MAIL, { notificationId: row.id }, { id: row.id });
  await services.db.updateTable('notifications').set({ mail_queued_at: new Date() })
    .where('id', 'in', wanted.map((r) => r.id)).where('mail_queued_at', 'is', null).execute();
  return wanted.length;
}

/** Recent notifications whose mail no listener queued; reads notifications_mail_pending_idx. */
export async function unqueuedMail(db: Kysely<DB>, now = new Date()): Promise<string[]> {
  const rows = await db.selectFrom('notifications').select('id')
    .where('mail_queued_at', 'is', null)
    .where('created_at', '>', new Date(now.getTime() - SWEEP_LOOKBACK_MS))
    .where('created_at', '<', new Date(now.getTime() - SWEEP_GRACE_MS))
    .orderBy('created_at').limit(1000).execute();
  return rows.map((r) => r.id);
}

interface Mailable {
  kind: string;
  post_id: string | null;
  title: string | null;
  actor_name: string | null;
  excerpt: string | null;
  email: string;
  name: string;
  notify_email: boolean;
  disabled: boolean;
}

async function loadMailable(db: Kysely<DB>, notificationId: string): Promise<Mailable | undefined> {
  return db.selectFrom('notifications')
    .innerJoin('users as recipient', 'recipient.id', 'notifications.user_id')
    .leftJoin('posts', 'posts.id', 'notifications.post_id')
    .leftJoin('users as actor', 'actor.id', 'notifications.actor_id')
    .select(['notifications.kind', 'notifications.post_id', 'posts.title', 'actor.name as actor_name', 'notifications.excerpt', 'recipient.email', 'recipient.name', 'recipient.notify_email', 'recipient.disabled'])
    .where('notifications.id', '=', notificationId)
    .executeTakeFirst();
}

export const sendMailJob = defineJob({
  name: SEND_MAIL,
  payload: z.strictObject({ notificationId: z.uuid() }),
  // 30 s, 1 min, 2 min … about four hours in all: an SMTP server down for a morning loses nothing.
  retry: { limit: 9, delaySeconds: 30, backoff: true },
  expireInSeconds: 120,
  async handle({ notificationId }, { services }) {
    const { config, db } = services;
    if (!config.smtpUrl) return { sent: false, reason: 'smtp_not_configured' };
    const row = await loadMailable(db, notificationId);
    // Checked again when sending: the person may have turned e-mail off since, or been disabled.
    if (!row) return { sent: false, reason: 'gone' };
    if (!row.notify_email || row.disabled) return { sent: false, reason: 'opted_out' };
    const mail = composeMail({
      kind: row.kind, postId: row.post_id, postTitle: row.title, actorName: row.actor_name, excerpt: row.excerpt,
      recipient: { email: row.email, name: row.name },
    }, adminBaseUrl(config));
    await sendMail(config, mail);
    return { sent: true };
  },
});

export const mailSweepJob = defineJob({
  name: MAIL_SWEEP,
  payload: z.strictObject({}),
  retry: { limit: 1, delaySeconds: 30, backoff: false },
  expireInSeconds: 300,
  schedule: { cron: '* * * * *', data: {} },
  async handle(_payload, { services }) {
    if (!services.config.smtpUrl || !services.jobs) return { queued: 0 };
    return { queued: await queueMail(services, await unqueuedMail(services.db)) };
  },
});

