/**
 * What an approver can still do to a post's article once it is live: correct it (title, lead or
 * body; the article then shows when and why it was corrected) or withdraw it (its address then
 * says it was withdrawn, and its short links stop leading there). Each is one transaction with its
 * audit entry (what the article said before and after) and the portal's change notice. The slug
 * never changes, so a corrected article keeps the address that was shared.
 *
 * The post itself is not changed: it is the record of what was sent to the networks.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { AppError, invalidField } from '../../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../../audit/record.ts';
import { cleanPlainText, htmlToPlainText, sanitizeBody } from '../../compose/rich-text.ts';
import { announcePortalChange } from '../articles.ts';

export interface CorrectionInput {
  title?: string | undefined;
  summary?: string | undefined;
  bodyHtml?: string | undefined;
  /** Why, shown on the article beside the time of the correction. */
  note: string;
}

/** The post's article, locked, when it is live now; 409 otherwise. */
async function liveArticle(trx: Kysely<DB>, postId: string, now: Date) {
  const article = await trx.selectFrom('articles').selectAll().where('post_id', '=', postId).forUpdate().executeTakeFirst();
  if (!article || !article.live || article.published_at === null || article.published_at > now || article.withdrawn_at !== null) {
    throw new AppError('portal.no_live_article');
  }
  return article;
}

export async function correctArticle(db: Kysely<DB>, options: { postId: string; input: CorrectionInput; origin: AuditActor; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const { input } = options;
  const note = cleanPlainText(input.note);
  if (note.length < 5) throw invalidField('note', 'tuliskan alasan koreksi, minimal 5 karakter (say why, at least 5 characters)');
  const title = input.title !== undefined ? cleanPlainText(input.title) : undefined;
  if (title === '') throw invalidField('title', 'judul tidak boleh kosong (the title cannot be empty)');
  const lead = input.summary !== undefined ? cleanPlainText(input.summary) : undefined;
  const bodyHtml = input.bodyHtml !== undefined ? sanitizeBody(input.bodyHtml) : undefined;
  if (bodyHtml !== undefined && htmlToPlainText(bodyHtml).trim() === '') throw invalidField('bodyHtml', 'isi berita tidak boleh kosong (the body cannot be empty)');

  await db.transaction().execute(async (trx) => {
    const article = await liveArticle(trx, options.postId, now);
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    const change: { title?: string; lead?: string; body_html?: string; body_text?: string } = {};
    if (title !== undefined && title !== article.title) {
      before.title = article.title;
      after.title = change.title = title;
    }
    if (lead !== undefined && lead !== article.lead) {
      before.summary = article.lead;
      after.summary = change.lead = lead;
    }
    if (bodyHtml !== undefined && bodyHtml !== article.body_html) {
      before.bodyHtml = article.body_html;
      after.bodyHtml = change.body_html = bodyHtml;
      change.body_text = htmlToPlainText(bodyHtml);
    }
    if (Object.keys(change).length === 0) {
      throw invalidField(input.title !== undefined ? 'title' : input.summary !== undefined ? 'summary' : input.bodyHtml !== undefined ? 'bodyHtml' : 'title',
        'tidak ada yang berubah: ubah judul, ringkasan atau isi (nothing changed: change the title, summary or body)');
    }
    await trx.updateTable('articles').set({ ...change, corrected_at: now, correction_note: note, updated_at: now }).where('post_id', '=', article.post_id).execute();
    await recordAudit(trx, options.origin, {
      action: 'portal.article_corrected', entityType: 'post', entityId: article.post_id, unitId: article.unit_id,
      before: { slug: article.slug, ...before }, after: { slug: article.slug, ...after, note, at: now.toISOString() },
    });
    await announcePortalChange(trx, article.post_id);
  });
}

export async function withdrawArticle(db: Kysely<DB>, options: { postId: string; reason: string; origin: AuditActor; now?: Date }): Promise<void> {
  const now = options.now ?? new Date();
  const reason = cleanPlainText(options.reason);
  if (reason.length < 5) throw invalidField('reason', 'tuliskan alasan penarikan, minimal 5 karakter (say why, at least 5 characters)');
  await db.transaction().execute(async (trx) => {
    const article = await liveArticle(trx, options.postId, now);
    await trx.updateTable('articles').set({ withdrawn_at: now, withdrawn_reason: reason, updated_at: now }).where('post_id', '=', article.post_id).execute();
    await recordAudit(trx, options.origin, {
      action: 'portal.article_withdrawn', entityType: 'post', entityId: article.post_id, unitId: article.unit_id,
      before: { slug: article.slug, title: article.title, publishedAt: article.published_at?.toISOString() ?? null },
      after: { slug: article.slug, reason, at: now.toISOString() },
    });
    await announcePortalChange(trx, article.post_id);
  });
}
