/**
 * Short links (`/r/<code>`): what every social variant of a post without a portal link of its own
 * carries. The code is derived from the post and the network (urls.ts), so the composer writes it
 * into the variant before the post is even saved; syncArticle writes the row when the article is
 * made. Following one leads to the article's canonical address with UTM tags (added here, not in
 * the social text, which stays short) and adds one to that code's count for the day — a number,
 * never anything about the person: no cookie, no address, no user agent is kept.
 */
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../../config/config.ts';
import type { DB } from '../../../db/schema.ts';
import { utcToZoned } from '../../calendar/zoned-time.ts';
import { withUtm } from '../../compose/utm.ts';
import { portalBase, portalPaths, shortLinkCode } from '../urls.ts';

/** The zone whose calendar days the counts are kept in (the portal's readers' day). */
export const CLICK_DAY_ZONE = 'Asia/Makassar';

/** The absolute short link of a post on one network. */
export function shortLinkUrl(base: string, postId: string, network: string): string {
  return `${base.replace(/\/+$/, '')}${portalPaths.shortLink(shortLinkCode(postId, network))}`;
}

/** A code as urls.ts makes them (8 base-62 characters); anything else is not looked up. */
export const SHORT_CODE = /^[0-9A-Za-z]{8}$/;

/** UTM tags of a visit through a network's short link: social traffic, a partner's referral (webhook), or the portal's own (none). */
export function utmFor(network: string, rubricSlug: string | null): { source: string; medium: string; campaign: string } | null {
  if (network === 'portal') return null;
  return { source: network, medium: network === 'webhook' ? 'referral' : 'social', campaign: rubricSlug ?? 'siar' };
}

/**
 * Link-preview fetchers and crawlers: the networks fetch a link to draw its card the moment it is
 * posted, and that is not a reader. They are still redirected (the card needs the article), only
 * not counted. Names as the fetchers send them; a name followed by "/version" or a bare "bot" word
 * catches the rest without catching phones such as "CUBOT".
 */
const PREVIEW_AGENTS = /facebookexternalhit|facebookcatalog|meta-externalagent|twitterbot|telegrambot|slackbot|slack-imgproxy|linkedinbot|whatsapp|discordbot|mastodon|bluesky|cardyb|googlebot|google-inspectiontool|googleother|adsbot-google|bingbot|bingpreview|applebot|duckduckbot|yandex|baiduspider|petalbot|redditbot|pinterest|skypeuripreview|embedly|iframely|vkshare|snapchat|line-poker|kakaotalk-scrap|viber|zalo|chatgpt-user|gptbot|claudebot|perplexitybot|bytespider|headlesschrome|python-requests|curl\/|wget\/|go-http-client|okhttp|axios\//i;
const GENERIC_BOT = /(?:^|[\s;(])[\w.-]*(?:bot|crawler|spider|preview)[\w.-]*\/\d|(?:^|[\s;(+])(?:bot|crawler|spider)(?:[\s;)]|$)|\+https?:\/\//i;

export function isAutomatedAgent(userAgent: string | undefined): boolean {
  const ua = (userAgent ?? '').trim();
  // Every browser sends one; a request without it is a program.
  if (ua === '') return true;
  return PREVIEW_AGENTS.test(ua) || GENERIC_BOT.test(ua);
}

export type ShortLinkOutcome =
  | { kind: 'redirect'; location: string; code: string; postId: string; network: string }
  /** Withdrawn from the portal: the link says so (410) rather than leading anywhere. */
  | { kind: 'withdrawn'; postId: string }
  /** Unknown code, or an article that is not live yet: nothing to show (404). */
  | { kind: 'not_found' };

/** Where a short link leads now. Reads only; counting is `countClick`. */
export async function followShortLink(db: Kysely<DB>, config: Pick<Config, 'publicUrl' | 'host' | 'port'>, code: string, now = new Date()): Promise<ShortLinkOutcome> {
  if (!SHORT_CODE.test(code)) return { kind: 'not_found' };
  const row = await db.selectFrom('short_links')
    .leftJoin('articles', 'articles.post_id', 'short_links.post_id')
    .leftJoin('rubrics', 'rubrics.id', 'articles.rubric_id')
    .select(['short_links.code', 'short_links.post_id', 'short_links.network', 'articles.slug', 'articles.live', 'articles.published_at', 'articles.withdrawn_at', 'rubrics.slug as rubric_slug'])
    .where('short_links.code', '=', code).executeTakeFirst();
  if (!row || !row.slug || !row.live || row.published_at === null || row.published_at > now) return { kind: 'not_found' };
  if (row.withdrawn_at !== null) return { kind: 'withdrawn', postId: row.post_id };
  const canonical = `${portalBase(config)}${portalPaths.article(row.slug)}`;
  const utm = utmFor(row.network, row.rubric_slug);
  return { kind: 'redirect', location: utm ? withUtm(canonical, utm) : canonical, code: row.code, postId: row.post_id, network: row.network };
}

/** One more click on a code today (in the portal's zone): a single upsert, so concurrent clicks never lose a count. */
export async function countClick(db: Kysely<DB>, code: string, now = new Date()): Promise<void> {
  const day = utcToZoned(now, CLICK_DAY_ZONE).slice(0, 10);
  await db.insertInto('link_clicks').values({ code, day, clicks: 1 })
    .onConflict((oc) => oc.columns(['code', 'day']).doUpdateSet({ clicks: sql<number>`link_clicks.clicks + 1` }))
    .execute();
}

/** A post's clicks: the total and per network (the portal's own short link counts as "portal"). */
export async function clicksOf(db: Kysely<DB>, postId: string): Promise<{ total: number; byNetwork: Record<string, number> }> {
  const rows = await db.selectFrom('short_links').innerJoin('link_clicks', 'link_clicks.code', 'short_links.code')
    .select(['short_links.network', (eb) => eb.fn.sum<string | number>('link_clicks.clicks').as('clicks')])
    .where('short_links.post_id', '=', postId).groupBy('short_links.network').orderBy('short_links.network').execute();
  const byNetwork: Record<string, number> = {};
  let total = 0;
  for (const row of rows) {
    const n = Number(row.clicks);
    byNetwork[row.network] = n;
    total += n;
  }
  return { total, byNetwork };
}
