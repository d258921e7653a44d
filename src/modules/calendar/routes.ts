/** The calendar API: month, week and list views all read one range of days. */
import { z } from 'zod';
import { AppError, invalidField } from '../../errors/errors.ts';
import { requireAuth } from '../../http/authenticate.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { unitsBelow } from '../units/queries.ts';
import { calendarItems } from './calendar.ts';
import { crowdedHours } from './crowding.ts';
import { calendarItemSchema, calendarQuery, crowdingWarningSchema } from './schemas.ts';
import { isTimeZone, zonedToUtc } from './zoned-time.ts';

const MAX_DAYS = 62;

export async function calendarRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db } = services;

  app.get('/calendar', {
    schema: {
      tags: ['calendar'],
      summary: 'Posts with a time between two days (in the given zone), filtered by unit, network, rubric and status, with crowding warnings',
      querystring: calendarQuery,
      response: { 200: z.object({ from: z.string(), to: z.string(), timeZone: z.string(), items: z.array(calendarItemSchema), truncated: z.boolean(), crowding: z.array(crowdingWarningSchema) }), ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const query = request.query;
    if (!isTimeZone(query.timeZone)) throw invalidField('timeZone', 'zona waktu tidak dikenal (unknown time zone)');
    const from = zonedToUtc(`${query.from}T00:00`, query.timeZone);
    const to = zonedToUtc(`${query.to}T00:00`, query.timeZone);
    if (!from) throw invalidField('from', 'tanggal tidak valid (invalid date)');
    if (!to) throw invalidField('to', 'tanggal tidak valid (invalid date)');
    if (to <= from) throw invalidField('to', 'harus setelah from (must be after from)');
    if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) throw invalidField('to', `paling lama ${MAX_DAYS} hari (at most ${MAX_DAYS} days)`);
    let units = await unitsBelow(db, auth.memberships.map((m) => m.unitId));
    if (query.unitId) {
      if (!units.some((u) => u.id === query.unitId)) throw new AppError('not_found');
      const below = new Set((await unitsBelow(db, [query.unitId])).map((u) => u.id));
      units = units.filter((u) => below.has(u.id));
    }
    const unitIds = units.map((u) => u.id);
    const { items, truncated } = await calendarItems(db, { from, to, unitIds, network: query.network, rubricId: query.rubricId, statuses: query.status });
    const channelIds = unitIds.length > 0 ? (await db.selectFrom('channels').select('id').where('unit_id', 'in', unitIds).execute()).map((c) => c.id) : [];
    const visible = new Set(items.map((i) => i.id));
    const crowding = (await crowdedHours(db, { from, to, channelIds })).map((w) => ({ ...w, postIds: w.postIds.filter((id) => visible.has(id)) }));
    return { from: from.toISOString(), to: to.toISOString(), timeZone: query.timeZone, items, truncated, crowding };
  });
}
