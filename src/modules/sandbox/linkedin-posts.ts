/**
 * LinkedIn Images API (initializeUpload, then PUT the bytes to the upload URL) and Posts API: create (text, one
 * image, several images, an article card the client builds itself; little-text commentary; 422 for a duplicate),
 * read one, find by author (recent first), edit the commentary (PARTIAL_UPDATE) and delete.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { StoredMedia, StoredPost } from './store.ts';
import type { SandboxAccount } from './types.ts';
import { sniffMime, str } from './http.ts';
import { guard } from './linkedin-auth.ts';
import {
  activityId,
  actorsOf,
  alnum,
  findTarget,
  linkedinState,
  liError,
  notFound,
  postDetails,
  unprocessable,
} from './linkedin-state.ts';
import type { LinkedinContext, LinkedinPostDetails } from './linkedin-state.ts';
import { readLittleText } from './linkedin-text.ts';

const visibilities = new Set(['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER']);
const feedDistributions = new Set(['MAIN_FEED', 'NONE']);
const editable = new Set(['commentary', 'contentCallToActionLabel', 'contentLandingPage']);

function accessDenied(reply: FastifyReply, resource: string, version: string): FastifyReply {
  return liError(reply, 403, 'ACCESS_DENIED', `Not enough permissions to access: ${resource}.${version}01`, 100);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function presentPost(post: StoredPost): Record<string, unknown> {
  const details = postDetails(post)!;
  const out: Record<string, unknown> = {
    id: post.id,
    author: details.author,
    commentary: details.commentary,
    visibility: details.visibility,
    distribution: details.distribution,
    lifecycleState: 'PUBLISHED',
    lifecycleStateInfo: { isEditedByAuthor: details.edited },
    isReshareDisabledByAuthor: details.isReshareDisabledByAuthor,
    createdAt: details.createdAtMs,
    publishedAt: details.createdAtMs,
    lastModifiedAt: details.lastModifiedAtMs,
  };
  if (details.content) out.content = details.content;
  return out;
}

type ContentCheck = { ok: true; media: StoredMedia[]; title?: string } | { ok: false; path: string; problem: string };

/** An image the author owns and has uploaded; a reason otherwise. */
function usableImage(ctx: LinkedinContext, author: string, urn: unknown, path: string): StoredMedia | { path: string; problem: string } {
  const id = str(urn) ?? '';
  const state = linkedinState(ctx.store);
  if (state.pendingImages.has(id)) return { path, problem: `image ${id} is not uploaded yet (status WAITING_UPLOAD)` };
  const media = ctx.store.media.get(id);
  if (!media || !id.startsWith('urn:li:image:')) return { path, problem: `${id} is not a valid image urn` };
  if (state.imageOwners.get(id) !== author) return { path, problem: `image ${id} is not owned by the author ${author}` };
  return media;
}

function checkContent(ctx: LinkedinContext, author: string, content: unknown): ContentCheck {
  if (content === undefined) return { ok: true, media: [] };
  if (!isObject(content)) return { ok: false, path: '/content', problem: 'expected a record' };
  if (isObject(content.media)) {
    const found = usableImage(ctx, author, content.media.id, '/content/media/id');
    if (!('data' in found)) return { ok: false, ...found };
    found.alt = str(content.media.altText) ?? '';
    return { ok: true, media: [found], ...(str(content.media.title) ? { title: str(content.media.title) } : {}) };
  }
  if (isObject(content.multiImage)) {
    const images = content.multiImage.images;
    if (!Array.isArray(images) || images.length < 2 || images.length > 20) {
      return { ok: false, path: '/content/multiImage/images', problem: 'a multi-image post has between 2 and 20 images' };
    }
    const media: StoredMedia[] = [];
    for (const [index, image] of images.entries()) {
      const found = usableImage(ctx, author, isObject(image) ? image.id : undefined, `/content/multiImage/images/${index}/id`);
      if (!('data' in found)) return { ok: false, ...found };
      found.alt = isObject(image) ? (str(image.altText) ?? '') : '';
      media.push(found);
    }
    return { ok: true, media };
  }
  if (isObject(content.article)) {
    const source = str(content.article.source) ?? '';
    if (!/^https?:\/\//i.test(source)) return { ok: false, path: '/content/article/source', problem: 'field is required but not found and has no default value' };
    const media: StoredMedia[] = [];
    if (content.article.thumbnail !== undefined) {
      const found = usableImage(ctx, author, content.article.thumbnail, '/content/article/thumbnail');
      if (!('data' in found)) return { ok: false, ...found };
      found.alt = str(content.article.thumbnailAltText) ?? '';
      media.push(found);
    }
    return { ok: true, media, ...(str(content.article.title) ? { title: str(content.article.title) } : {}) };
  }
  return { ok: false, path: '/content', problem: 'only media (image), multiImage and article content are simulated' };
}

/** Stores a new post as LinkedIn keeps it: a share URN, its activity URN, the commentary as cut. */
function storePost(ctx: LinkedinContext, account: SandboxAccount, details: Omit<LinkedinPostDetails, 'kind' | 'activityUrn' | 'createdAtMs' | 'lastModifiedAtMs' | 'edited'>, text: string, media: StoredMedia[], title: string | undefined): StoredPost {
  const { store } = ctx;
  const now = store.now();
  const id = `urn:li:share:${activityId(now)}`;
  const full: LinkedinPostDetails = { kind: 'post', ...details, activityUrn: `urn:li:activity:${activityId(now)}`, createdAtMs: now, lastModifiedAtMs: now, edited: false };
  return store.addPost({
    id,
    accountId: account.id,
    network: 'linkedin',
    text,
    createdAt: new Date(now).toISOString(),
    replyTo: null,
    media: media.map((m) => ({ mime: m.mime, alt: m.alt, bytes: m.bytes })),
    mediaIds: media.map((m) => m.id),
    visibility: details.visibility,
    url: `${ctx.webUrl()}/linkedin/${encodeURIComponent(account.handle)}#post-${id}`,
    deleted: false,
    ...(title ? { title } : {}),
    extra: { ...full },
  });
}

export function registerLinkedinPosts(app: FastifyInstance, ctx: LinkedinContext): void {
  const { store } = ctx;

  app.post('/rest/images', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: true, versioned: true });
    if (!admitted) return reply;
    const query = request.query as Record<string, unknown>;
    if (str(query.action) !== 'initializeUpload') return liError(reply, 400, 'ILLEGAL_ARGUMENT', `Unsupported action ${str(query.action) ?? ''}`);
    const body = (request.body ?? {}) as { initializeUploadRequest?: { owner?: unknown } };
    const owner = str(body.initializeUploadRequest?.owner);
    if (!owner) return unprocessable(reply, '/initializeUploadRequest/owner', 'field is required but not found and has no default value');
    if (!actorsOf(admitted.account).includes(owner)) return accessDenied(reply, 'images.ACTION-initializeUpload', admitted.version);
    const now = store.now();
    const image = `urn:li:image:D4${alnum(14)}`;
    const uploadToken = alnum(24);
    const expiresAt = now + 24 * 3600_000;
    linkedinState(store).pendingImages.set(image, { accountId: admitted.account.id, owner, uploadToken, expiresAt });
    return { value: { uploadUrlExpiresAt: expiresAt, uploadUrl: `${ctx.baseUrl()}/dms-uploads/sp/${uploadToken}/uploaded-image/0`, image } };
  });

  app.put('/dms-uploads/sp/:token/uploaded-image/0', async (request, reply) => {
    const { token } = request.params as { token: string };
    const state = linkedinState(store);
    const entry = [...state.pendingImages.entries()].find(([, pending]) => pending.uploadToken === token);
    if (!entry || entry[1].expiresAt <= store.now()) return reply.code(404).send();
    const [image, pending] = entry;
    const admitted = await guard(ctx, request, reply, { publish: true, versioned: false });
    if (!admitted) return reply;
    if (admitted.account.id !== pending.accountId) return reply.code(403).send();
    const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const mime = sniffMime(data, request.headers['content-type']?.split(';')[0]?.trim());
    if (data.length === 0 || !mime.startsWith('image/')) return reply.code(400).send();
    state.pendingImages.delete(image);
    state.imageOwners.set(image, pending.owner);
    store.addMedia({ id: image, accountId: pending.accountId, mime, alt: '', bytes: data.length, data });
    return reply.code(201).send();
  });

  app.get('/rest/images/:urn', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    const { urn } = request.params as { urn: string };
    const state = linkedinState(store);
    const pending = state.pendingImages.get(urn);
    if (pending) return { owner: pending.owner, id: urn, status: 'WAITING_UPLOAD' };
    const media = store.media.get(urn);
    if (!media) return notFound(reply);
    return {
      owner: state.imageOwners.get(urn),
      id: urn,
      status: 'AVAILABLE',
      downloadUrl: `${ctx.baseUrl()}/dms/image/${encodeURIComponent(urn)}`,
      downloadUrlExpiresAt: store.now() + 3600_000,
    };
  });

  app.get('/dms/image/:urn', async (request, reply) => {
    const media = store.media.get((request.params as { urn: string }).urn);
    if (!media) return reply.code(404).send();
    return reply.type(media.mime).send(media.data);
  });

  app.post('/rest/posts', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: true, versioned: true, posting: store.limits.linkedinPostsPerMember });
    if (!admitted) return reply;
    const body = request.body;
    if (!isObject(body)) return unprocessable(reply, '', 'expected a JSON record');
    for (const field of ['author', 'visibility', 'distribution', 'lifecycleState']) {
      if (body[field] === undefined) return unprocessable(reply, `/${field}`, 'field is required but not found and has no default value');
    }
    const author = str(body.author) ?? '';
    if (!actorsOf(admitted.account).includes(author)) return accessDenied(reply, 'partnerApiPostsExternal.CREATE', admitted.version);
    const visibility = str(body.visibility) ?? '';
    if (!visibilities.has(visibility)) return unprocessable(reply, '/visibility', `"${visibility}" is not one of PUBLIC, CONNECTIONS, LOGGED_IN, CONTAINER`);
    const distribution = body.distribution;
    if (!isObject(distribution) || !feedDistributions.has(str(distribution.feedDistribution) ?? '')) {
      return unprocessable(reply, '/distribution/feedDistribution', 'field is required but not found and has no default value');
    }
    if (body.lifecycleState !== 'PUBLISHED') return unprocessable(reply, '/lifecycleState', `"${String(body.lifecycleState)}" is not allowed for an organic post; use PUBLISHED`);
    if (body.commentary !== undefined && typeof body.commentary !== 'string') return unprocessable(reply, '/commentary', 'expected a string');
    const little = readLittleText((body.commentary as string | undefined) ?? '');
    const max = store.limits.linkedinMaxCharacters;
    if ([...little.text].length > max) return unprocessable(reply, '/commentary', `length ${[...little.text].length} exceeds the maximum allowed length of ${max}`);
    const content = checkContent(ctx, author, body.content);
    if (!content.ok) return unprocessable(reply, content.path, content.problem);
    if (little.stored.trim() === '' && content.media.length === 0 && body.content === undefined) {
      return unprocessable(reply, '/commentary', 'a post needs commentary or content');
    }
    const duplicate = little.stored.trim() !== '' && store.posts(admitted.account.id)
      .find((p) => !p.deleted && postDetails(p)?.author === author && postDetails(p)?.commentary === little.stored);
    if (duplicate) return liError(reply, 422, 'DUPLICATE_POST', `Content is a duplicate of ${duplicate.id}`);
    const post = storePost(ctx, admitted.account, {
      author,
      commentary: little.stored,
      visibility,
      distribution: {
        feedDistribution: str(distribution.feedDistribution),
        targetEntities: Array.isArray(distribution.targetEntities) ? distribution.targetEntities : [],
        thirdPartyDistributionChannels: Array.isArray(distribution.thirdPartyDistributionChannels) ? distribution.thirdPartyDistributionChannels : [],
      },
      ...(isObject(body.content) ? { content: body.content } : {}),
      isReshareDisabledByAuthor: body.isReshareDisabledByAuthor === true,
    }, little.text, content.media, content.title);
    return reply.code(201).header('x-restli-id', post.id).header('x-linkedin-id', post.id).send();
  });

  app.get('/rest/posts', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    const query = request.query as Record<string, unknown>;
    if (str(query.q) !== 'author') return liError(reply, 400, 'ILLEGAL_ARGUMENT', `Unsupported finder ${str(query.q) ?? '(none)'}; the sandbox knows q=author`);
    const author = str(query.author) ?? '';
    if (!actorsOf(admitted.account).includes(author)) return accessDenied(reply, 'partnerApiPostsExternal.FINDER-author', admitted.version);
    const sortBy = str(query.sortBy) ?? 'LAST_MODIFIED';
    if (sortBy !== 'LAST_MODIFIED' && sortBy !== 'CREATED') return liError(reply, 400, 'ILLEGAL_ARGUMENT', `Invalid sortBy ${sortBy}`);
    const start = Math.max(0, Number(str(query.start) ?? 0) || 0);
    const count = Math.min(100, Math.max(1, Number(str(query.count) ?? 10) || 10));
    const key = (p: StoredPost) => (sortBy === 'CREATED' ? postDetails(p)!.createdAtMs : postDetails(p)!.lastModifiedAtMs);
    const all = store.posts(admitted.account.id)
      .filter((p) => !p.deleted && postDetails(p)?.author === author)
      .sort((a, b) => key(b) - key(a) || (a.id < b.id ? 1 : -1));
    const elements = all.slice(start, start + count).map(presentPost);
    const links = start + count < all.length
      ? [{ type: 'application/json', rel: 'next', href: `/rest/posts?author=${encodeURIComponent(author)}&count=${count}&q=author&sortBy=${sortBy}&start=${start + count}` }]
      : [];
    return { paging: { start, count, links, total: all.length }, elements };
  });

  app.get('/rest/posts/:urn', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    const post = findTarget(store, (request.params as { urn: string }).urn);
    return post && postDetails(post) ? presentPost(post) : notFound(reply);
  });

  app.delete('/rest/posts/:urn', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    const { urn } = request.params as { urn: string };
    const post = store.allPosts('linkedin').find((p) => p.id === urn && postDetails(p));
    if (!post) return notFound(reply);
    if (!actorsOf(admitted.account).includes(postDetails(post)!.author)) return accessDenied(reply, 'partnerApiPostsExternal.DELETE', admitted.version);
    // Deleting is idempotent: a post already gone answers 204 again.
    post.deleted = true;
    return reply.code(204).send();
  });

  app.post('/rest/posts/:urn', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    if (String(request.headers['x-restli-method'] ?? '').toUpperCase() !== 'PARTIAL_UPDATE') {
      return liError(reply, 400, 'ILLEGAL_ARGUMENT', 'Updating a post needs the header X-RestLi-Method: PARTIAL_UPDATE');
    }
    const post = findTarget(store, (request.params as { urn: string }).urn);
    const details = post ? postDetails(post) : undefined;
    if (!post || !details) return notFound(reply);
    if (!actorsOf(admitted.account).includes(details.author)) return accessDenied(reply, 'partnerApiPostsExternal.PARTIAL_UPDATE', admitted.version);
    const set = isObject(request.body) && isObject(request.body.patch) ? request.body.patch.$set : undefined;
    if (!isObject(set)) return unprocessable(reply, '/patch', 'expected {"patch": {"$set": {...}}}');
    const refused = Object.keys(set).find((key) => !editable.has(key));
    if (refused) return unprocessable(reply, `/patch/$set/${refused}`, 'field cannot be updated');
    if (set.commentary !== undefined) {
      if (typeof set.commentary !== 'string') return unprocessable(reply, '/patch/$set/commentary', 'expected a string');
      const little = readLittleText(set.commentary);
      const max = store.limits.linkedinMaxCharacters;
      if ([...little.text].length > max) return unprocessable(reply, '/patch/$set/commentary', `length ${[...little.text].length} exceeds the maximum allowed length of ${max}`);
      details.commentary = little.stored;
      post.text = little.text;
    }
    const now = store.now();
    details.lastModifiedAtMs = now;
    details.edited = true;
    post.editedAt = new Date(now).toISOString();
    return reply.code(204).send();
  });
}
