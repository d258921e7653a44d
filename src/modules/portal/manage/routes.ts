/** API routes for a post's live article: correct it, or withdraw it from the portal (approvers of the post's unit). */
import { z } from 'zod';
import { AppError } from '../../../errors/errors.ts';
import { originOf, requireAuth } from '../../../http/authenticate.ts';
import { errorResponses, idParams } from '../../../http/schemas.ts';
import type { App } from '../../../http/types.ts';
import type { Services } from '../../../services.ts';
import { canChangePublished, canViewPost } from '../../access/policies.ts';
import { unitPath } from '../../units/queries.ts';
import { correctArticle, withdrawArticle } from './manage-article.ts';
import { portalLineOf, portalLineSchema } from './portal-line.ts';

const correctBody = z.strictObject({
  title: z.string().max(300).optional(),
  summary: z.string().max(2000).optional(),
  bodyHtml: z.string().max(200_000).optional(),
  note: z.string().trim().min(5, 'tuliskan alasan koreksi, minimal 5 karakter (say why, at least 5 characters)').max(500, 'paling banyak 500 karakter (at most 500 characters)'),
});
const withdrawBody = z.strictObject({
  reason: z.string().trim().min(5, 'tuliskan alasan penarikan, minimal 5 karakter (say why, at least 5 characters)').max(500, 'paling banyak 500 karakter (at most 500 characters)'),
});

export async function articleRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const { db, config } = services;

  /** 404 where the caller may not see the post, 403 where they may see but not change what is published (the rule of after-publishing). */
  async function mayChange(request: Parameters<typeof requireAuth>[0], postId: string): Promise<void> {
    const auth = requireAuth(request);
    const post = await db.selectFrom('posts').select('unit_id').where('id', '=', postId).executeTakeFirst();
    const path = post ? await unitPath(db, post.unit_id) : [];
    if (!post || !canViewPost(auth, path)) throw new AppError('not_found');
    if (!canChangePublished(auth, path)) throw new AppError('forbidden');
  }

  /** The portal line after the change (the caller is an approver, so may change it again while it is live). */
  async function answer(postId: string) {
    const line = await portalLineOf(db, config, postId, { mayChange: true });
    if (!line) throw new AppError('not_found');
    return line;
  }

  app.post('/posts/:id/article/correct', {
    schema: {
      tags: ['portal'],
      summary: 'Correct the post’s live article on the portal (title, summary, body; the note is shown with the correction); approvers',
      params: idParams, body: correctBody, response: { 200: portalLineSchema, ...errorResponses },
    },
  }, async (request) => {
    await mayChange(request, request.params.id);
    await correctArticle(db, { postId: request.params.id, input: request.body, origin: originOf(request) });
    return answer(request.params.id);
  });

  app.post('/posts/:id/article/withdraw', {
    schema: {
      tags: ['portal'],
      summary: 'Withdraw the post’s live article from the portal (its address then says so; its short links stop leading there); approvers',
      params: idParams, body: withdrawBody, response: { 200: portalLineSchema, ...errorResponses },
    },
  }, async (request) => {
    await mayChange(request, request.params.id);
    await withdrawArticle(db, { postId: request.params.id, reason: request.body.reason, origin: originOf(request) });
    return answer(request.params.id);
  });
}
