/**
 * LinkedIn Social Actions: the likes and comments summary of a post or comment, the comments under it (first-level
 * under a post, replies under a comment), and commenting as the member or the Page, including a reply to a
 * comment (`parentComment`). Citizens' comments are stored through `storeComment`, the same way.
 */
import type { FastifyInstance } from 'fastify';
import type { StoredPost } from './store.ts';
import type { SandboxAccount } from './types.ts';
import { str } from './http.ts';
import { guard } from './linkedin-auth.ts';
import { activityId, actorsOf, commentDetails, findTarget, liError, memberUrn, notFound, postDetails, unprocessable } from './linkedin-state.ts';
import type { LinkedinCommentDetails, LinkedinContext } from './linkedin-state.ts';

/** LinkedIn caps a comment at 1,250 characters. */
const maxCommentLength = 1250;

function liveComments(ctx: LinkedinContext, parentId: string): StoredPost[] {
  return ctx.store.repliesTo('linkedin', parentId).filter((p) => !p.deleted && commentDetails(p));
}

function allComments(ctx: LinkedinContext, parentId: string): StoredPost[] {
  return liveComments(ctx, parentId).flatMap((c) => [c, ...allComments(ctx, c.id)]);
}

function likesSummary(target: StoredPost): Record<string, unknown> {
  const likes = target.likes ?? 0;
  return { selectedLikes: [], aggregatedTotalLikes: likes, likedByCurrentUser: false, totalLikes: likes };
}

function commentsSummary(ctx: LinkedinContext, target: StoredPost): Record<string, unknown> {
  const first = liveComments(ctx, target.id);
  return {
    selectedComments: first.slice(-10).map((c) => c.id),
    totalFirstLevelComments: first.length,
    commentsState: 'OPEN',
    aggregatedTotalComments: allComments(ctx, target.id).length,
  };
}

/** The activity URN a target (post or comment) belongs to. */
function activityOf(target: StoredPost): string {
  const post = postDetails(target);
  if (post) return post.activityUrn;
  return commentDetails(target)?.object ?? target.id;
}

export function presentComment(ctx: LinkedinContext, comment: StoredPost): Record<string, unknown> {
  const details = commentDetails(comment)!;
  const author = ctx.store.account(comment.accountId);
  const out: Record<string, unknown> = {
    actor: details.actor,
    commentUrn: comment.id,
    $URN: comment.id,
    id: details.commentId,
    object: details.object,
    message: { text: comment.text, attributes: [] },
    created: { actor: details.actor, time: details.createdAtMs },
    lastModified: { actor: details.actor, time: details.createdAtMs },
    likesSummary: likesSummary(comment),
    commentsSummary: commentsSummary(ctx, comment),
  };
  // A Page comments through the member who runs it.
  if (author && details.actor !== memberUrn(author)) out.agent = memberUrn(author);
  if (details.parentComment) out.parentComment = details.parentComment;
  return out;
}

/** Stores a comment as LinkedIn would: on the post's activity, nested under `parent` when it is a comment. */
export function storeComment(ctx: LinkedinContext, author: SandboxAccount, actor: string, parent: StoredPost, text: string): StoredPost {
  const { store } = ctx;
  const now = store.now();
  const object = activityOf(parent);
  const commentId = activityId(now);
  const id = `urn:li:comment:(${object},${commentId})`;
  const parentComment = commentDetails(parent) ? parent.id : undefined;
  const details: LinkedinCommentDetails = { kind: 'comment', actor, object, commentId, ...(parentComment ? { parentComment } : {}), createdAtMs: now };
  return store.addPost({
    id,
    accountId: author.id,
    network: 'linkedin',
    text,
    createdAt: new Date(now).toISOString(),
    replyTo: parent.id,
    media: [],
    mediaIds: [],
    visibility: 'PUBLIC',
    url: `${ctx.webUrl()}/linkedin/${encodeURIComponent(author.handle)}#post-${id}`,
    deleted: false,
    extra: { ...details },
  });
}

export function registerLinkedinSocial(app: FastifyInstance, ctx: LinkedinContext): void {
  const { store } = ctx;

  app.get('/rest/socialActions/:urn', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    const { urn } = request.params as { urn: string };
    const target = findTarget(store, urn);
    if (!target) return notFound(reply);
    return { $URN: `urn:li:socialActions:${urn}`, target: urn, likesSummary: likesSummary(target), commentsSummary: commentsSummary(ctx, target) };
  });

  app.get('/rest/socialActions/:urn/comments', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    const target = findTarget(store, (request.params as { urn: string }).urn);
    if (!target) return notFound(reply);
    const query = request.query as Record<string, unknown>;
    const start = Math.max(0, Number(str(query.start) ?? 0) || 0);
    const count = Math.min(100, Math.max(1, Number(str(query.count) ?? 10) || 10));
    // Newest comments first.
    const comments = liveComments(ctx, target.id).reverse();
    return {
      paging: { start, count, links: [], total: comments.length },
      elements: comments.slice(start, start + count).map((c) => presentComment(ctx, c)),
    };
  });

  app.post('/rest/socialActions/:urn/comments', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: true, versioned: true });
    if (!admitted) return reply;
    const { urn } = request.params as { urn: string };
    const pathTarget = findTarget(store, urn);
    if (!pathTarget) return notFound(reply);
    const body = (request.body ?? {}) as { actor?: unknown; object?: unknown; message?: { text?: unknown }; parentComment?: unknown };
    const actor = str(body.actor) ?? '';
    if (!actor) return unprocessable(reply, '/actor', 'field is required but not found and has no default value');
    if (!actorsOf(admitted.account).includes(actor)) {
      return liError(reply, 403, 'ACCESS_DENIED', `Not enough permissions to access: partnerApiSocialActions.CREATE.${admitted.version}01`, 100);
    }
    const text = body.message?.text;
    if (typeof text !== 'string' || text.trim() === '') return unprocessable(reply, '/message/text', 'field is required but not found and has no default value');
    if ([...text].length > maxCommentLength) return unprocessable(reply, '/message/text', `length ${[...text].length} exceeds the maximum allowed length of ${maxCommentLength}`);
    const parentUrn = str(body.parentComment);
    const parent = parentUrn ? findTarget(store, parentUrn) : pathTarget;
    if (!parent || (parentUrn && !commentDetails(parent))) return unprocessable(reply, '/parentComment', `${parentUrn ?? ''} is not a comment`);
    const object = str(body.object);
    const activity = activityOf(parent);
    const root = store.allPosts('linkedin').find((p) => postDetails(p)?.activityUrn === activity);
    if (object && object !== activity && object !== root?.id) {
      return unprocessable(reply, '/object', `${object} does not match the commented post`);
    }
    const comment = storeComment(ctx, admitted.account, actor, parent, text);
    return reply.code(201).header('x-restli-id', commentDetails(comment)!.commentId).send(presentComment(ctx, comment));
  });
}
