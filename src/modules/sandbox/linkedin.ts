/**
 * Simulated LinkedIn, serving on one port the paths of www.linkedin.com (OAuth consent page and token endpoint,
 * image upload URLs, post permalinks) and api.linkedin.com (OpenID userinfo, the Pages a member administers, Images,
 * Posts and Social Actions under the versioned /rest API). Written from LinkedIn's public API reference; shares
 * nothing with Siar's own LinkedIn connector.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { NetworkSimulation, SandboxStore } from './store.ts';
import type { RestoredAccount, SandboxAccount } from './types.ts';
import { createApp, str } from './http.ts';
import { guard, registerLinkedinAuth } from './linkedin-auth.ts';
import { registerLinkedinPosts } from './linkedin-posts.ts';
import { registerLinkedinSocial, storeComment } from './linkedin-social.ts';
import { alnum, fullScope, linkedinState, linkedinToken, liError, memberUrn, notFound, organizationUrn } from './linkedin-state.ts';
import type { LinkedinContext } from './linkedin-state.ts';

/**
 * A LinkedIn account as a channel holds it after signing in. A practice account is a government Page
 * (externalAccountId `urn:li:organization:…`) run by one member whose 60-day token Siar holds (`memberUrn`); with
 * programmatic refresh enabled (approved partners) there is also a refresh token. A citizen is a member on its own.
 */
export function createLinkedinAccount(
  store: SandboxStore,
  baseUrl: string,
  options: { handle: string; displayName: string; restore?: RestoredAccount; citizen?: boolean },
): SandboxAccount {
  const restore = options.restore;
  const now = store.now();
  const person = restore?.credentials.memberUrn ?? `urn:li:person:${alnum(10)}`;
  const externalAccountId = restore?.externalAccountId
    ?? (options.citizen ? person : `urn:li:organization:${10_000_000 + Math.floor(Math.random() * 89_999_999)}`);
  const accessToken = restore?.credentials.accessToken ?? linkedinToken();
  const restoredExpiry = restore?.credentials.expiresAt ? Date.parse(restore.credentials.expiresAt) : NaN;
  const expiresAt = Number.isNaN(restoredExpiry) ? now + store.limits.linkedinAccessTokenSeconds * 1000 : restoredExpiry;
  const credentials: Record<string, string> = {
    accessToken,
    expiresAt: new Date(expiresAt).toISOString(),
    memberUrn: person,
    memberName: restore?.credentials.memberName ?? (options.citizen ? options.displayName : `Admin ${options.displayName}`),
    scope: fullScope.join(','),
  };
  if (!options.citizen) credentials.organizationUrn = externalAccountId;
  const refreshToken = restore?.credentials.refreshToken ?? (store.limits.linkedinRefreshTokens ? linkedinToken() : undefined);
  const restoredRefreshExpiry = restore?.credentials.refreshTokenExpiresAt ? Date.parse(restore.credentials.refreshTokenExpiresAt) : NaN;
  const refreshExpiresAt = Number.isNaN(restoredRefreshExpiry) ? now + store.limits.linkedinRefreshTokenSeconds * 1000 : restoredRefreshExpiry;
  if (refreshToken) {
    credentials.refreshToken = refreshToken;
    credentials.refreshTokenExpiresAt = new Date(refreshExpiresAt).toISOString();
  }
  const account = store.addAccount({
    id: restore?.id ?? randomUUID(),
    network: 'linkedin',
    handle: options.handle.replace(/^@/, ''),
    displayName: options.displayName,
    baseUrl,
    credentials,
    externalAccountId,
    ...(options.citizen ? { citizen: true } : {}),
  });
  const state = linkedinState(store);
  state.accessTokens.set(accessToken, { accountId: account.id, scope: fullScope, expiresAt });
  if (refreshToken) state.refreshTokens.set(refreshToken, { accountId: account.id, scope: fullScope, expiresAt: refreshExpiresAt });
  return account;
}

/** A 1×1 grey PNG: every member's profile picture. */
const avatar = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2217bc60000000049454e44ae426082', 'hex');

function organizationId(urn: string): string {
  return urn.slice('urn:li:organization:'.length);
}

function presentOrganization(account: SandboxAccount): Record<string, unknown> {
  const org = organizationUrn(account) ?? '';
  return {
    id: Number(organizationId(org)),
    $URN: org,
    localizedName: account.displayName,
    vanityName: account.handle,
    name: { localized: { in_ID: account.displayName }, preferredLocale: { country: 'ID', language: 'in' } },
    primaryOrganizationType: 'GOVERNMENT',
    localizedWebsite: '',
  };
}

export function linkedinApp(ctx: LinkedinContext): FastifyInstance {
  const { store } = ctx;
  const app = createApp(store);
  // Image uploads PUT raw bytes with whatever content type the client sends.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  registerLinkedinAuth(app, ctx);
  registerLinkedinPosts(app, ctx);
  registerLinkedinSocial(app, ctx);

  app.get('/v2/userinfo', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: false });
    if (!admitted) return reply;
    const { account } = admitted;
    const name = account.credentials.memberName ?? account.displayName;
    const [given, ...family] = name.split(' ');
    return {
      sub: memberUrn(account).slice('urn:li:person:'.length),
      email_verified: true,
      name,
      locale: 'in-ID',
      given_name: given ?? name,
      family_name: family.join(' '),
      email: `${account.handle}@sandbox.invalid`,
      picture: `${ctx.baseUrl()}/dms/profile/${encodeURIComponent(account.handle)}.png`,
    };
  });

  app.get('/dms/profile/:file', async (_request, reply) => reply.type('image/png').send(avatar));

  app.get('/v2/me', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: false });
    if (!admitted) return reply;
    const name = admitted.account.credentials.memberName ?? admitted.account.displayName;
    const [given, ...family] = name.split(' ');
    return { id: memberUrn(admitted.account).slice('urn:li:person:'.length), localizedFirstName: given ?? name, localizedLastName: family.join(' ') };
  });

  app.get('/rest/organizationAcls', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    const query = request.query as Record<string, unknown>;
    const { account } = admitted;
    const org = organizationUrn(account);
    const q = str(query.q);
    if (q !== 'roleAssignee' && q !== 'organization') return liError(reply, 400, 'ILLEGAL_ARGUMENT', `Unsupported finder ${q ?? '(none)'}`);
    if (q === 'organization' && str(query.organization) !== org) return liError(reply, 403, 'ACCESS_DENIED', `Not enough permissions to access: organizationAcls.FINDER-organization.${admitted.version}01`, 100);
    const role = str(query.role);
    const wantedState = str(query.state);
    const acls = org && (!role || role === 'ADMINISTRATOR') && (!wantedState || wantedState === 'APPROVED')
      ? [{ roleAssignee: memberUrn(account), state: 'APPROVED', role: 'ADMINISTRATOR', organization: org }]
      : [];
    // Rest.li decoration, e.g. projection=(elements*(*,organization~(localizedName))), fills in the Page itself.
    const decorate = (str(query.projection) ?? '').includes('organization~');
    const elements = acls.map((acl) => (decorate ? { ...acl, 'organization~': presentOrganization(account) } : acl));
    return { paging: { start: 0, count: 10, links: [], total: elements.length }, elements };
  });

  app.get('/rest/organizations/:id', async (request, reply) => {
    const admitted = await guard(ctx, request, reply, { publish: false, versioned: true });
    if (!admitted) return reply;
    const { id } = request.params as { id: string };
    const page = store.findAccount('linkedin', (a) => organizationUrn(a) === `urn:li:organization:${id}`);
    return page ? presentOrganization(page) : notFound(reply);
  });

  // www.linkedin.com/feed/update/{urn}: the permalink a client builds leads to the sandbox's web page.
  app.get('/feed/update/:urn', async (request, reply) => {
    const urn = (request.params as { urn: string }).urn.replace(/\/$/, '');
    const post = store.allPosts('linkedin').find((p) => p.id === urn);
    if (!post) return reply.code(404).type('text/html; charset=utf-8').send('<!doctype html><p>Postingan ini tidak ada.</p>');
    return reply.redirect(post.url, 302);
  });

  app.setNotFoundHandler((request, reply) => liError(reply, 404, 'NOT_FOUND', `No resource found for ${request.method} ${request.url.split('?')[0] ?? ''}`));
  return app;
}

/** Citizens on LinkedIn: a reply is a comment (nested under a comment when answering one); a like adds to likesSummary. */
export function linkedinSimulation(ctx: LinkedinContext): NetworkSimulation {
  return {
    addReply: ({ post, author, text }) => storeComment(ctx, author, memberUrn(author), post, text),
    addLike: ({ post }) => {
      post.likes = (post.likes ?? 0) + 1;
    },
  };
}
