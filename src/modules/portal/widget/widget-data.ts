/**
 * What the embeddable widget lists: the latest live articles of a unit (with the units below it),
 * of a rubric, of both, or of the whole site, with absolute links. An unknown unit or rubric is
 * reported by name so the person who pasted the snippet can see which attribute is wrong.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../../config/config.ts';
import type { DB } from '../../../db/schema.ts';
import { listArticles, unitWithBelow, type ListFilter } from '../queries.ts';
import { portalSiteName } from '../share/site.ts';
import { portalBase, portalPaths } from '../urls.ts';

export const WIDGET_DEFAULT_COUNT = 5;
export const WIDGET_MAX_COUNT = 20;

export interface WidgetQuery {
  unit?: string | undefined;
  rubrik?: string | undefined;
  jumlah?: string | undefined;
}

export interface WidgetItem {
  title: string;
  url: string;
  publishedAt: string;
  unit: string;
  rubric: string | null;
  urgent: boolean;
}

export interface WidgetData {
  title: string;
  /** The portal page with the same list. */
  url: string;
  site: { name: string; url: string };
  items: WidgetItem[];
}

export type WidgetResult = { ok: true; data: WidgetData } | { ok: false; unknown: 'unit' | 'rubrik'; slug: string };

/** `data-jumlah` as pasted: a whole number from 1 to 20; anything else is the default. */
export function widgetCount(raw: string | undefined): number {
  const n = Number.parseInt(raw ?? '', 10);
  if (!Number.isFinite(n)) return WIDGET_DEFAULT_COUNT;
  return Math.min(WIDGET_MAX_COUNT, Math.max(1, n));
}

const present = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim());

export async function loadWidgetData(db: Kysely<DB>, config: Pick<Config, 'publicUrl' | 'host' | 'port'>, query: WidgetQuery, now = new Date()): Promise<WidgetResult> {
  const base = portalBase(config);
  const unitSlug = present(query.unit);
  const rubricSlug = present(query.rubrik);
  const filter: ListFilter = { pageSize: widgetCount(query.jumlah) };
  let unitName: string | undefined;
  let rubricName: string | undefined;
  let pagePath = portalPaths.home();
  if (unitSlug !== undefined) {
    const found = await unitWithBelow(db, unitSlug);
    if (!found) return { ok: false, unknown: 'unit', slug: unitSlug };
    filter.unitIds = found.ids;
    unitName = found.unit.name;
    pagePath = portalPaths.unit(found.unit.slug);
  }
  if (rubricSlug !== undefined) {
    const rubric = await db.selectFrom('rubrics').select(['slug', 'name']).where('slug', '=', rubricSlug).executeTakeFirst();
    if (!rubric) return { ok: false, unknown: 'rubrik', slug: rubricSlug };
    filter.rubricSlug = rubric.slug;
    rubricName = rubric.name;
    if (unitSlug === undefined) pagePath = portalPaths.rubric(rubric.slug);
  }
  const [siteName, page] = await Promise.all([portalSiteName(db), listArticles(db, filter, now)]);
  const scope = [rubricName, unitName].filter((s): s is string => s !== undefined).join(' · ');
  return {
    ok: true,
    data: {
      title: scope === '' ? `Berita terbaru ${siteName}` : `Berita terbaru: ${scope}`,
      url: base + pagePath,
      site: { name: siteName, url: `${base}/` },
      items: page.items.map((a) => ({
        title: a.title,
        url: base + portalPaths.article(a.slug),
        publishedAt: a.publishedAt.toISOString(),
        unit: a.unit.name,
        rubric: a.rubric?.name ?? null,
        urgent: a.urgent,
      })),
    },
  };
}

/** What to tell the person who pasted a snippet naming something that does not exist. */
export function unknownMessage(result: Extract<WidgetResult, { ok: false }>): { id: string; en: string } {
  return result.unknown === 'unit'
    ? { id: `Unit "${result.slug}" tidak ditemukan. Periksa atribut data-unit (atau parameter unit).`, en: `No unit "${result.slug}". Check the data-unit attribute (or the unit parameter).` }
    : { id: `Rubrik "${result.slug}" tidak ditemukan. Periksa atribut data-rubrik (atau parameter rubrik).`, en: `No rubric "${result.slug}". Check the data-rubrik attribute (or the rubrik parameter).` };
}
