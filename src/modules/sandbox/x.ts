/**
 * Simulated X (API v2), serving on one port the paths of both x.com (OAuth consent page, post permalinks) and
 * api.x.com (OAuth token endpoint, posts, users, media), so twitter-api-v2 works against it unmodified. Written from
 * X's public API reference; shares nothing with Siar's own X connector.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { NetworkSimulation, SandboxStore } from './store.ts';
import type { RestoredAccount, SandboxAccount } from './types.ts';
import { createApp } from './http.ts';
import { registerXAuth } from './x-auth.ts';
import { registerXMedia } from './x-media.ts';
import { problem, fullScope, xOpaqueToken, xSnowflake, xState } from './x-state.ts';
import type { XContext } from './x-state.ts';
import { registerXTweets, storeTweet } from './x-tweets.ts';

/** A 1×1 grey PNG: the default profile picture. */
const avatar = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2217bc60000000049454e44ae426082', 'hex');

/**
 * An X account as a channel holds it after signing in: a 2-hour access token, a refresh token (the account was
 * authorised with offline.access) and when the access token expires. Restored accounts keep their tokens.
 */
export function createXAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const now = store.now();
  const accessToken = restore?.credentials.accessToken ?? xOpaqueToken('at', now);
  const refreshToken = restore?.credentials.refreshToken ?? xOpaqueToken('rt', now);
  const restoredExpiry = restore?.credentials.expiresAt ? Date.parse(restore.credentials.expiresAt) : NaN;
  const expiresAt = Number.isNaN(restoredExpiry) ? now + store.limits.xAccessTokenSeconds * 1000 : restoredExpiry;
  const account = store.addAccount({
    id: restore?.id ?? randomUUID(),
    network: 'x',
    handle: options.handle.replace(/^@/, ''),
    displayName: options.displayName,
    baseUrl,
    credentials: { accessToken, refreshToken, expiresAt: new Date(expiresAt).toISOString(), scope: fullScope.join(' ') },
    externalAccountId: restore?.externalAccountId ?? xSnowflake(now),
    ...(options.citizen ? { citizen: true } : {}),
  });
  // Granted to no particular client: any client id may refresh it, as the brief for the sandbox asks.
  const state = xState(store);
  state.accessTokens.set(accessToken, { accountId: account.id, scope: fullScope, clientId: '', expiresAt });
  state.refreshTokens.set(refreshToken, { accountId: account.id, scope: fullScope, clientId: '' });
  return account;
}

export function xApp(ctx: XContext): FastifyInstance {
  const app = createApp(ctx.store);
  registerXAuth(app, ctx);
  registerXTweets(app, ctx);
  registerXMedia(app, ctx);

  app.get('/profile_images/:id/normal.png', async (_request, reply) => reply.type('image/png').send(avatar));

  // x.com/{username}/status/{id}: the permalink a client builds leads to the sandbox's web page.
  app.get('/:username/status/:id', async (request, reply) => {
    const { id } = request.params as { username: string; id: string };
    const post = ctx.store.findPost('x', id);
    if (!post) return reply.code(404).type('text/html; charset=utf-8').send('<!doctype html><p>Postingan ini tidak ada.</p>');
    return reply.redirect(post.url, 302);
  });

  app.setNotFoundHandler((request, reply) => problem(reply, 404, 'Not Found Error', `The requested resource ${request.url.split('?')[0] ?? ''} was not found.`));
  return app;
}

/** Citizens on X: a reply is a post with reply.in_reply_to_tweet_id; a like adds to like_count. */
export function xSimulation(ctx: XContext): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => storeTweet(ctx, author, text, [], post),
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
