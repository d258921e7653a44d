/**
 * The portal as a channel of every post. A post's article is written in the same transaction as
 * every step of its workflow (`syncArticle`, called by posts/transition.ts), so the portal can
 * never disagree with the post: approved and scheduled, the article waits for its time and goes
 * live at it without a job or a network call (exactly once by construction: one row per post);
 * sent back to review before its time, it waits again with the new text; cancelled after it went
 * live, it is withdrawn (its address then says so rather than vanishing). Once live, only an
 * approver's correction (`correctArticle`) or withdrawal changes it — both audited.
 *
 * Every change NOTIFYs `siar_portal` on commit so each web process drops its rendered pages.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, PostStatus } from '../../db/schema.ts';
import type { PostAggregate } from '../posts/queries.ts';
import { articleSlug, shortLinkCode } from './urls.ts';

export const PORTAL_CHANNEL = 'siar_portal';

/** Statuses of a post whose article is (or will be at its time) on the portal. */
const GOING_OUT: readonly PostStatus[] = ['scheduled', 'publishing', 'published', 'partly_published', 'failed'];

export function initials(name: string): string {
  const words = name.split(/\s+/).filter((w) => /^\p{L}/u.test(w));
  return words.slice(0, 3).map((w) => w[0]!.toLocaleUpperCase('id')).join('');
}

/** Tells every process's render cache that the portal changed (delivered on commit). */
export async function announcePortalChange(trx: Kysely<DB>, postId: string): Promise<void> {
  await sql`select pg_notify(${PORTAL_CHANNEL}, ${postId})`.execute(trx);
}

/** Brings the post's article in line with the post. Runs inside the post's transaction. */
export async function syncArticle(trx: Kysely<DB>, aggregate: PostAggregate, now: Date): Promise<void> {
  const { post } = aggregate;
  const existing = await trx.selectFrom('articles').select(['post_id', 'live', 'published_at', 'withdrawn_at', 'withdrawn_reason']).where('post_id', '=', post.id).executeTakeFirst();
  const goingOut = GOING_OUT.includes(post.status) && post.scheduled_at !== null;
  const wentLive = existing !== undefined && existing.live && existing.published_at !== null && existing.published_at <= now;
  if (!existing && !goingOut) return;

  if (!goingOut) {
    // Not going out (any more): an article that never went live just waits; one that did is withdrawn.
    if (wentLive && existing.withdrawn_at === null) {
      await trx.updateTable('articles').set({ withdrawn_at: now, withdrawn_reason: post.status === 'cancelled' ? 'cancelled' : null, updated_at: now }).where('post_id', '=', post.id).execute();
      await announcePortalChange(trx, post.id);
    } else if (existing?.live && !wentLive) {
      await trx.updateTable('articles').set({ live: false, updated_at: now }).where('post_id', '=', post.id).execute();
      await announcePortalChange(trx, post.id);
    }
    return;
  }
  // A live article's text is changed only by a correction; the workflow only confirms it is out.
  if (wentLive && existing.withdrawn_at === null) return;
  // An approver's withdrawal (it has their reason) stands: a later step of the post (a review
  // afterwards) does not bring the article back. The workflow's own withdrawals (reason null or
  // 'cancelled') are undone when the post goes out again.
  if (wentLive && existing.withdrawn_reason !== null && existing.withdrawn_reason !== 'cancelled') return;

  const author = await trx.selectFrom('users').select('name').where('id', '=', post.author_id).executeTakeFirst();
  const content = {
    unit_id: post.unit_id,
    rubric_id: post.rubric_id,
    title: post.title,
    lead: post.summary,
    body_html: post.body_html,
    body_text: post.body_text,
    tags: post.tags,
    language: post.language,
    author_initials: initials(author?.name ?? ''),
    urgent: post.urgent,
    serta_merta: post.urgent && post.serta_merta ? JSON.stringify(post.serta_merta) : null,
    live: true,
    published_at: wentLive ? existing.published_at : post.scheduled_at,
    withdrawn_at: null,
    withdrawn_reason: null,
    updated_at: now,
  };
  if (existing) {
    await trx.updateTable('articles').set(content).where('post_id', '=', post.id).execute();
  } else {
    await trx.insertInto('articles').values({ post_id: post.id, slug: await freeSlug(trx, post.title, post.id), ...content }).execute();
  }
  // Short links of the networks the post goes to (the variants already carry them), and the portal's own.
  const networks = [...new Set([...post.networks, 'portal'])];
  await trx.insertInto('short_links').values(networks.map((network) => ({ code: shortLinkCode(post.id, network), post_id: post.id, network })))
    .onConflict((oc) => oc.doNothing()).execute();
  await announcePortalChange(trx, post.id);
}

async function freeSlug(trx: Kysely<DB>, title: string, postId: string): Promise<string> {
  const slug = articleSlug(title, postId);
  const taken = await trx.selectFrom('articles').select('post_id').where('slug', '=', slug).executeTakeFirst();
  return taken ? `${slug}-${postId.replace(/-/g, '').slice(8, 16)}` : slug;
}
