/**
 * The portal as one line of a post, beside its network targets: where its article is, whether it
 * waits for its time, is live or was withdrawn, when it was corrected, and how many people came
 * through its short links from each network.
 */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Config } from '../../../config/config.ts';
import type { DB } from '../../../db/schema.ts';
import { clicksOf } from '../links/short-links.ts';
import { portalBase, portalPaths } from '../urls.ts';

export const portalStatuses = ['waiting', 'live', 'withdrawn', 'none'] as const;
export type PortalStatus = (typeof portalStatuses)[number];

export const portalLineSchema = z.object({
  /** The article's canonical address (stable: a correction keeps it). */
  url: z.string(),
  /** waiting: goes live at publishedAt; live; withdrawn; none: not on the portal (sent back before its time). */
  status: z.enum(portalStatuses),
  publishedAt: z.string().nullable(),
  correctedAt: z.string().nullable(),
  correctionNote: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
  /** What the article says now (the post's text, unless it was corrected): where a correction starts from. */
  article: z.object({ title: z.string(), summary: z.string(), bodyHtml: z.string() }),
  /** People who followed the post's short links, in all and per network ("portal": the portal's own). */
  clicks: z.object({ total: z.number(), byNetwork: z.record(z.string(), z.number()) }),
  /** What the caller may do to the article now (approvers, while it is live). */
  actions: z.array(z.enum(['correct', 'withdraw'])),
});
export type PortalLine = z.infer<typeof portalLineSchema>;

export function portalStatusOf(article: { live: boolean; published_at: Date | null; withdrawn_at: Date | null }, now: Date): PortalStatus {
  if (article.withdrawn_at !== null) return 'withdrawn';
  if (!article.live || article.published_at === null) return 'none';
  return article.published_at > now ? 'waiting' : 'live';
}

/** The post's portal line; null while it has no article (it gets one when it is scheduled). */
export async function portalLineOf(
  db: Kysely<DB>,
  config: Pick<Config, 'publicUrl' | 'host' | 'port'>,
  postId: string,
  options: { mayChange: boolean; now?: Date },
): Promise<PortalLine | null> {
  const now = options.now ?? new Date();
  const article = await db.selectFrom('articles')
    .select(['slug', 'title', 'lead', 'body_html', 'live', 'published_at', 'corrected_at', 'correction_note', 'withdrawn_at', 'withdrawn_reason'])
    .where('post_id', '=', postId).executeTakeFirst();
  if (!article) return null;
  const status = portalStatusOf(article, now);
  return {
    url: `${portalBase(config)}${portalPaths.article(article.slug)}`,
    status,
    publishedAt: article.published_at?.toISOString() ?? null,
    correctedAt: article.corrected_at?.toISOString() ?? null,
    correctionNote: article.correction_note,
    withdrawnAt: article.withdrawn_at?.toISOString() ?? null,
    withdrawnReason: article.withdrawn_reason,
    article: { title: article.title, summary: article.lead, bodyHtml: article.body_html },
    clicks: await clicksOf(db, postId),
    actions: status === 'live' && options.mayChange ? ['correct', 'withdraw'] : [],
  };
}
