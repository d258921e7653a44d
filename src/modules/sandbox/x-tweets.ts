/**
 * X API v2 posts and users: create (text, reply, media; weighted length by twitter-text; duplicate content refused
 * with 403), delete, lookup by id and ids (missing posts come back as partial errors with 200), a user's timeline,
 * recent search (conversation_id:, from:, to:, in_reply_to_tweet_id:, is:, has:, words), and user lookups.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import twitter from 'twitter-text';
import type { StoredMedia, StoredPost } from './store.ts';
import type { SandboxAccount } from './types.ts';
import { str } from './http.ts';
import { guard, xEndpoints } from './x-auth.ts';
import { forbidden, invalidRequest, notFoundError, problem, xSnowflake } from './x-state.ts';
import type { XContext } from './x-state.ts';
import { detailsOf, fieldSet, includesFor, presentTweet, presentUser, renderText } from './x-present.ts';
import type { XPostDetails } from './x-present.ts';

const createFields = new Set([
  'text', 'media', 'reply', 'quote_tweet_id', 'poll', 'reply_settings', 'for_super_followers_only', 'nullcast',
  'direct_message_deep_link', 'geo', 'community_id', 'share_with_followers', 'made_with_ai', 'paid_partnership', 'card_uri',
]);

const idPattern = /^[0-9]{1,19}$/;

function findLive(ctx: XContext, id: string): StoredPost | undefined {
  const post = ctx.store.findPost('x', id);
  return post && !post.deleted ? post : undefined;
}

function userNotFound(id: string, parameter = 'id'): Record<string, unknown> {
  return {
    value: id,
    detail: `Could not find user with ${parameter}: [${id}].`,
    title: 'Not Found Error',
    resource_type: 'user',
    parameter,
    resource_id: id,
    type: 'https://api.x.com/2/problems/resource-not-found',
  };
}

function withIncludes(ctx: XContext, body: Record<string, unknown>, posts: StoredPost[], query: Record<string, unknown>): Record<string, unknown> {
  const includes = includesFor(ctx, posts, query);
  if (includes) body.includes = includes;
  return body;
}

type Checked = { ok: true; media: StoredMedia[]; parent?: StoredPost } | { ok: false; send: (reply: FastifyReply) => FastifyReply };

/** The checks X makes on a new post, in the order a client meets them. */
function checkCreate(ctx: XContext, account: SandboxAccount, body: Record<string, unknown>): Checked {
  const unknown = Object.keys(body).filter((key) => !createFields.has(key));
  if (unknown.length > 0) {
    return { ok: false, send: (r) => invalidRequest(r, unknown.map((key) => ({ message: `$.${key}: is not defined in the schema and the schema does not allow additional properties` }))) };
  }
  if (body.text !== undefined && typeof body.text !== 'string') {
    return { ok: false, send: (r) => invalidRequest(r, [{ message: '$.text: string found, but expected a string', parameters: { text: [String(body.text)] } }]) };
  }
  const text = (body.text as string | undefined) ?? '';
  const mediaIds = (body.media as { media_ids?: unknown } | undefined)?.media_ids;
  if (mediaIds !== undefined && (!Array.isArray(mediaIds) || mediaIds.length < 1 || mediaIds.length > 4 || mediaIds.some((id) => typeof id !== 'string'))) {
    return { ok: false, send: (r) => invalidRequest(r, [{ message: '$.media.media_ids: array size must be between 1 and 4, of strings' }]) };
  }
  const ids = (mediaIds as string[] | undefined) ?? [];
  if (text.trim() === '' && ids.length === 0 && body.poll === undefined && body.quote_tweet_id === undefined) {
    return { ok: false, send: (r) => invalidRequest(r, [{ message: 'Post text is required when no media, poll or quote is attached.', parameters: { text: [text] } }]) };
  }
  const limit = ctx.store.limits.xMaxWeightedLength;
  if (twitter.parseTweet(text).weightedLength > limit) {
    return {
      ok: false,
      send: (r) => invalidRequest(r, [{ message: 'Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text.', parameters: { text: [text] } }]),
    };
  }
  const now = ctx.store.now();
  const media = ids.map((id) => ctx.store.media.get(id));
  const usable = media.every((m) => m && m.accountId === account.id && now - Date.parse(m.createdAt) < 86_400_000);
  const kinds = media.filter((m): m is StoredMedia => m !== undefined);
  const single = kinds.filter((m) => m.mime === 'image/gif' || m.mime.startsWith('video/'));
  if (!usable || (single.length > 0 && kinds.length > 1)) {
    return { ok: false, send: (r) => invalidRequest(r, [{ message: 'Your media IDs are invalid.', parameters: { 'media.media_ids': ids } }]) };
  }
  const replyTo = str((body.reply as { in_reply_to_tweet_id?: unknown } | undefined)?.in_reply_to_tweet_id);
  let parent: StoredPost | undefined;
  if (replyTo !== undefined) {
    parent = findLive(ctx, replyTo);
    if (!parent) return { ok: false, send: (r) => forbidden(r, 'You attempted to reply to a Tweet that is deleted or not visible to you.') };
  }
  // Same account, same text as a recent post that still exists: X refuses it.
  const since = now - ctx.store.limits.xDuplicateWindowSeconds * 1000;
  const duplicate = text.trim() !== '' && ctx.store.posts(account.id).some((p) => !p.deleted && p.text.trim() === text.trim() && Date.parse(p.createdAt) >= since);
  if (duplicate) return { ok: false, send: (r) => forbidden(r, 'You are not allowed to create a Tweet with duplicate content.') };
  return { ok: true, media: kinds, ...(parent ? { parent } : {}) };
}

/** Stores a post (or reply) the way X would; used by the API and by simulated citizens. */
export function storeTweet(ctx: XContext, account: SandboxAccount, text: string, media: StoredMedia[], parent: StoredPost | undefined): StoredPost {
  const { store } = ctx;
  const id = xSnowflake(store.now());
  const rendered = renderText(text, media, `https://x.com/${account.handle}/status/${id}`);
  const parentDetails = parent ? detailsOf(parent) : undefined;
  const details: XPostDetails = {
    ...rendered,
    conversationId: parentDetails?.conversationId ?? id,
    ...(parent ? { inReplyToUserId: store.account(parent.accountId)?.externalAccountId ?? '' } : {}),
  };
  return store.addPost({
    id,
    accountId: account.id,
    network: 'x',
    text,
    createdAt: new Date(store.now()).toISOString(),
    replyTo: parent?.id ?? null,
    media: media.map((m) => ({ mime: m.mime, alt: m.alt, bytes: m.bytes })),
    mediaIds: media.map((m) => m.id),
    visibility: 'public',
    url: `${ctx.webUrl()}/x/${encodeURIComponent(account.handle)}#post-${id}`,
    deleted: false,
    extra: { ...details },
  });
}

/** Filters for the few search operators Siar and its connector use; plain words must all appear. */
function matcher(ctx: XContext, query: string): (post: StoredPost) => boolean {
  const terms = query.match(/-?"[^"]*"|\S+/g) ?? [];
  const tests = terms.map((raw) => {
    const negate = raw.startsWith('-');
    const term = negate ? raw.slice(1) : raw;
    const [operator, ...rest] = term.split(':');
    const value = rest.join(':').replace(/^"|"$/g, '').toLowerCase();
    const author = (post: StoredPost) => ctx.store.account(post.accountId);
    let test: (post: StoredPost) => boolean;
    switch (rest.length > 0 ? operator?.toLowerCase() : '') {
      case 'conversation_id':
        // The replies in the conversation; the post that started it is not among the results.
        test = (p) => detailsOf(p).conversationId === value && p.id !== value;
        break;
      case 'in_reply_to_tweet_id':
        test = (p) => p.replyTo === value;
        break;
      case 'from':
        test = (p) => author(p)?.handle.toLowerCase() === value.replace(/^@/, '') || author(p)?.externalAccountId === value;
        break;
      case 'to': {
        test = (p) => {
          const parent = p.replyTo ? ctx.store.findPost('x', p.replyTo) : undefined;
          const target = parent ? ctx.store.account(parent.accountId) : undefined;
          return target?.handle.toLowerCase() === value.replace(/^@/, '') || target?.externalAccountId === value;
        };
        break;
      }
      case 'is':
        test = (p) => (value === 'reply' ? p.replyTo !== null : false);
        break;
      case 'has':
        test = (p) => (value === 'media' || value === 'images' ? p.mediaIds.length > 0 : value === 'links' ? detailsOf(p).urls.some((u) => !u.media_key) : false);
        break;
      default: {
        const word = term.replace(/^"|"$/g, '').toLowerCase();
        test = (p) => p.text.toLowerCase().includes(word);
      }
    }
    return negate ? (p: StoredPost) => !test(p) : test;
  });
  return (post) => tests.every((t) => t(post));
}

function page(list: StoredPost[], query: Record<string, unknown>, min: number, max: number, fallback: number): { items: StoredPost[]; next?: string } | string {
  const maxResults = Number(str(query.max_results) ?? fallback);
  if (!Number.isInteger(maxResults) || maxResults < min || maxResults > max) {
    return `The \`max_results\` query parameter value [${str(query.max_results) ?? ''}] is not between ${min} and ${max}`;
  }
  const token = str(query.pagination_token) ?? str(query.next_token);
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) || 0 : 0;
  const items = list.slice(offset, offset + maxResults);
  return offset + maxResults < list.length ? { items, next: Buffer.from(String(offset + maxResults)).toString('base64url') } : { items };
}

function timeFilter(list: StoredPost[], query: Record<string, unknown>): StoredPost[] | string {
  let out = list;
  for (const [name, keep] of [['start_time', (t: number, at: number) => at >= t], ['end_time', (t: number, at: number) => at < t]] as const) {
    const value = str(query[name]);
    if (value === undefined) continue;
    const time = Date.parse(value);
    if (Number.isNaN(time)) return `Invalid '${name}':'${value}'. '${name}' must be a valid RFC 3339 date-time.`;
    out = out.filter((p) => keep(time, Date.parse(p.createdAt)));
  }
  const since = str(query.since_id);
  const until = str(query.until_id);
  if (since) out = out.filter((p) => BigInt(p.id) > BigInt(since));
  if (until) out = out.filter((p) => BigInt(p.id) < BigInt(until));
  return out;
}

function listAnswer(ctx: XContext, items: StoredPost[], next: string | undefined, query: Record<string, unknown>): Record<string, unknown> {
  const fields = fieldSet(query, 'tweet.fields');
  const meta: Record<string, unknown> = { result_count: items.length };
  if (items.length > 0) {
    meta.newest_id = items[0]!.id;
    meta.oldest_id = items[items.length - 1]!.id;
  }
  if (next) meta.next_token = next;
  const body: Record<string, unknown> = items.length > 0 ? { data: items.map((p) => presentTweet(ctx, p, fields)) } : {};
  body.meta = meta;
  return withIncludes(ctx, body, items, query);
}

export function registerXTweets(app: FastifyInstance, ctx: XContext): void {
  const { store } = ctx;

  app.post('/2/tweets', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.createTweet);
    if (!admitted) return reply;
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return invalidRequest(reply, [{ message: 'The request body must be a JSON object.' }]);
    const checked = checkCreate(ctx, admitted.account, body as Record<string, unknown>);
    if (!checked.ok) return checked.send(reply);
    const post = storeTweet(ctx, admitted.account, ((body as { text?: string }).text) ?? '', checked.media, checked.parent);
    return reply.code(201).send({ data: { id: post.id, text: detailsOf(post).display, edit_history_tweet_ids: [post.id] } });
  });

  app.delete('/2/tweets/:id', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.deleteTweet);
    if (!admitted) return reply;
    const { id } = request.params as { id: string };
    const post = store.findPost('x', id);
    if (!post) return problem(reply, 404, 'Not Found Error', `Could not find tweet with id: [${id}].`, 'https://api.x.com/2/problems/resource-not-found');
    if (post.accountId !== admitted.account.id) return forbidden(reply, 'You are not allowed to delete this Tweet.');
    post.deleted = true;
    return { data: { deleted: true } };
  });

  app.get('/2/tweets/search/recent', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.search);
    if (!admitted) return reply;
    const query = request.query as Record<string, unknown>;
    const q = str(query.query) ?? '';
    if (q.trim() === '' || q.length > 512) return invalidRequest(reply, [{ message: 'The `query` parameter is required and at most 512 characters long.', parameters: { query: [q] } }]);
    // Recent search covers the last seven days.
    const since = store.now() - 7 * 86_400_000;
    const startTime = str(query.start_time);
    if (startTime && Date.parse(startTime) < since) {
      return invalidRequest(reply, [{ message: `Invalid 'start_time':'${startTime}'. 'start_time' must be on or after ${new Date(since).toISOString()}`, parameters: { start_time: [startTime] } }]);
    }
    const matches = matcher(ctx, q);
    const all = store.allPosts('x').filter((p) => !p.deleted && Date.parse(p.createdAt) >= since && matches(p))
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
    const filtered = timeFilter(all, query);
    if (typeof filtered === 'string') return invalidRequest(reply, [{ message: filtered }]);
    const paged = page(filtered, query, 10, 100, 10);
    if (typeof paged === 'string') return invalidRequest(reply, [{ message: paged, parameters: { max_results: [str(query.max_results) ?? ''] } }]);
    return listAnswer(ctx, paged.items, paged.next, query);
  });

  app.get('/2/tweets/:id', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.tweet);
    if (!admitted) return reply;
    const { id } = request.params as { id: string };
    const query = request.query as Record<string, unknown>;
    if (!idPattern.test(id)) return invalidRequest(reply, [{ message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$`, parameters: { id: [id] } }]);
    const post = findLive(ctx, id);
    if (!post) return { errors: [notFoundError(id)] };
    return withIncludes(ctx, { data: presentTweet(ctx, post, fieldSet(query, 'tweet.fields')) }, [post], query);
  });

  app.get('/2/tweets', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.tweets);
    if (!admitted) return reply;
    const query = request.query as Record<string, unknown>;
    const ids = (str(query.ids) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length < 1 || ids.length > 100 || ids.some((id) => !idPattern.test(id))) {
      return invalidRequest(reply, [{ message: 'The `ids` query parameter must hold 1 to 100 comma-separated numeric ids.', parameters: { ids: [str(query.ids) ?? ''] } }]);
    }
    const found = ids.map((id) => findLive(ctx, id)).filter((p): p is StoredPost => p !== undefined);
    const missing = ids.filter((id) => !findLive(ctx, id));
    const body: Record<string, unknown> = {};
    if (found.length > 0) body.data = found.map((p) => presentTweet(ctx, p, fieldSet(query, 'tweet.fields')));
    if (missing.length > 0) body.errors = missing.map((id) => notFoundError(id, 'ids'));
    return withIncludes(ctx, body, found, query);
  });

  app.get('/2/users/me', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.me);
    if (!admitted) return reply;
    return { data: presentUser(ctx, admitted.account, fieldSet(request.query as Record<string, unknown>, 'user.fields')) };
  });

  app.get('/2/users/by/username/:username', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.user);
    if (!admitted) return reply;
    const { username } = request.params as { username: string };
    const user = store.findAccount('x', (a) => a.handle.toLowerCase() === username.toLowerCase());
    if (!user) return { errors: [userNotFound(username, 'username')] };
    return { data: presentUser(ctx, user, fieldSet(request.query as Record<string, unknown>, 'user.fields')) };
  });

  app.get('/2/users/:id', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.user);
    if (!admitted) return reply;
    const { id } = request.params as { id: string };
    const user = store.findAccount('x', (a) => a.externalAccountId === id);
    if (!user) return { errors: [userNotFound(id)] };
    return { data: presentUser(ctx, user, fieldSet(request.query as Record<string, unknown>, 'user.fields')) };
  });

  app.get('/2/users/:id/tweets', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, xEndpoints.timeline);
    if (!admitted) return reply;
    const { id } = request.params as { id: string };
    const query = request.query as Record<string, unknown>;
    const user = store.findAccount('x', (a) => a.externalAccountId === id);
    if (!user) return { errors: [userNotFound(id)] };
    const exclude = fieldSet(query, 'exclude');
    const own = store.posts(user.id).filter((p) => !p.deleted && !(exclude.has('replies') && p.replyTo !== null));
    const filtered = timeFilter(own, query);
    if (typeof filtered === 'string') return invalidRequest(reply, [{ message: filtered }]);
    const paged = page(filtered, query, 5, 100, 10);
    if (typeof paged === 'string') return invalidRequest(reply, [{ message: paged, parameters: { max_results: [str(query.max_results) ?? ''] } }]);
    return listAnswer(ctx, paged.items, paged.next, query);
  });
}
