/** Shapes of the calendar API. */
import { z } from 'zod';
import { uuid } from '../../http/schemas.ts';
import { NETWORKS } from '../networks/limits.ts';
import { postStatuses } from '../posts/state.ts';

export const crowdingWarningSchema = z.object({
  channelId: z.string(), channelName: z.string(), network: z.string(), hourStart: z.string(), count: z.number(), limit: z.number(),
  postIds: z.array(z.string()), message: z.object({ id: z.string(), en: z.string() }),
});

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'format YYYY-MM-DD');

export const calendarQuery = z.strictObject({
  /** First day shown, in the time zone below (the caller's unit zone, WITA by default). */
  from: day,
  /** Day after the last day shown. At most 62 days after `from`. */
  to: day,
  timeZone: z.string().max(64).default('Asia/Makassar'),
  unitId: uuid.optional(),
  network: z.enum(NETWORKS).optional(),
  rubricId: uuid.optional(),
  /** Comma-separated statuses; cancelled posts are left out unless asked for. */
  status: z.string().max(300).optional().transform((value, ctx) => {
    if (value === undefined || value === '') return undefined;
    const list = value.split(',').map((s) => s.trim());
    const unknown = list.filter((s) => !(postStatuses as readonly string[]).includes(s));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `status tidak dikenal (unknown status): ${unknown.join(', ')}` });
      return z.NEVER;
    }
    return list as (typeof postStatuses)[number][];
  }),
});

export const calendarItemSchema = z.object({
  id: z.string(), title: z.string(), status: z.string(), version: z.number(), urgent: z.boolean(), needsPostReview: z.boolean(),
  unit: z.object({ id: z.string(), name: z.string() }),
  rubric: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  networks: z.array(z.string()),
  scheduled: z.object({ utc: z.string(), local: z.string(), timeZone: z.string(), zoneName: z.string() }),
});
