/**
 * What the simulated LinkedIn keeps besides accounts and posts (per sandbox store): OAuth codes and tokens, images
 * waiting for their upload. Also LinkedIn-shaped ids and URNs, and its error body `{status, serviceErrorCode, code,
 * message}`.
 *
 * A practice account is a government Page (`urn:li:organization:…`, the channel Siar publishes as) administered by
 * one member (`urn:li:person:…`) whose token Siar holds. A citizen account is a member on its own.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { SandboxStore, StoredPost } from './store.ts';
import type { SandboxAccount } from './types.ts';

export interface LinkedinContext {
  store: SandboxStore;
  baseUrl: () => string;
  webUrl: () => string;
}

export interface LinkedinGrant {
  accountId: string;
  scope: string[];
  expiresAt: number;
  revoked?: boolean;
}

export interface LinkedinCode {
  accountId: string;
  clientId: string;
  redirectUri: string;
  scope: string[];
  expiresAt: number;
}

export interface PendingImage {
  accountId: string;
  owner: string;
  uploadToken: string;
  expiresAt: number;
}

export interface LinkedinState {
  accessTokens: Map<string, LinkedinGrant>;
  refreshTokens: Map<string, LinkedinGrant>;
  codes: Map<string, LinkedinCode>;
  spentCodes: Set<string>;
  /** Image URN → upload still expected. */
  pendingImages: Map<string, PendingImage>;
  /** Image URN → the member or Page that owns it (only its owner may post it). */
  imageOwners: Map<string, string>;
}

const states = new WeakMap<SandboxStore, LinkedinState>();

export function linkedinState(store: SandboxStore): LinkedinState {
  let state = states.get(store);
  if (!state) {
    state = { accessTokens: new Map(), refreshTokens: new Map(), codes: new Map(), spentCodes: new Set(), pendingImages: new Map(), imageOwners: new Map() };
    states.set(store, state);
  }
  return state;
}

/** Scopes an account made by the sandbox holds: sign-in plus posting and reading as the member and the Page. */
export const fullScope = ['openid', 'profile', 'email', 'w_member_social', 'w_organization_social', 'r_organization_social', 'rw_organization_admin'];

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function alnum(length: number): string {
  const bytes = randomBytes(length);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

/** LinkedIn tokens are long opaque strings beginning with AQ. */
export function linkedinToken(): string {
  return `AQ${randomBytes(180).toString('base64url')}`;
}

let lastActivity = 0n;

/** Share/activity/comment ids: 19-digit, time-ordered, as LinkedIn's are. */
export function activityId(now: number): string {
  let id = BigInt(now) << 22n;
  if (id <= lastActivity) id = lastActivity + 1n;
  lastActivity = id;
  return id.toString();
}

export function organizationUrn(account: SandboxAccount): string | undefined {
  return account.externalAccountId.startsWith('urn:li:organization:') ? account.externalAccountId : undefined;
}

export function memberUrn(account: SandboxAccount): string {
  return account.credentials.memberUrn ?? account.externalAccountId;
}

/** The authors a member may act as: themself and the Page they administer. */
export function actorsOf(account: SandboxAccount): string[] {
  const org = organizationUrn(account);
  return org ? [memberUrn(account), org] : [memberUrn(account)];
}

export function accountForActor(store: SandboxStore, urn: string): SandboxAccount | undefined {
  return store.findAccount('linkedin', (a) => a.externalAccountId === urn || a.credentials.memberUrn === urn);
}

/** LinkedIn's JSON error body. */
export function liError(reply: FastifyReply, status: number, code: string, message: string, serviceErrorCode?: number): FastifyReply {
  return reply.code(status).send({ status, ...(serviceErrorCode !== undefined ? { serviceErrorCode } : {}), code, message });
}

/** The Rest.li validation failure LinkedIn answers for a malformed body. */
export function unprocessable(reply: FastifyReply, path: string, problem: string): FastifyReply {
  return liError(reply, 422, 'UNPROCESSABLE_ENTITY', `ERROR :: ${path} :: ${problem}\n`);
}

export function notFound(reply: FastifyReply): FastifyReply {
  return liError(reply, 404, 'NOT_FOUND', 'Not Found');
}

export interface LinkedinPostDetails {
  kind: 'post';
  author: string;
  /** Commentary as stored (little text, cut where LinkedIn cut it). */
  commentary: string;
  activityUrn: string;
  visibility: string;
  distribution: Record<string, unknown>;
  content?: Record<string, unknown>;
  isReshareDisabledByAuthor: boolean;
  createdAtMs: number;
  lastModifiedAtMs: number;
  edited: boolean;
}

export interface LinkedinCommentDetails {
  kind: 'comment';
  actor: string;
  /** The activity the comment belongs to (the post's). */
  object: string;
  commentId: string;
  parentComment?: string;
  createdAtMs: number;
}

export function postDetails(post: StoredPost): LinkedinPostDetails | undefined {
  const extra = post.extra as Partial<LinkedinPostDetails> | undefined;
  return extra?.kind === 'post' ? (extra as LinkedinPostDetails) : undefined;
}

export function commentDetails(post: StoredPost): LinkedinCommentDetails | undefined {
  const extra = post.extra as Partial<LinkedinCommentDetails> | undefined;
  return extra?.kind === 'comment' ? (extra as LinkedinCommentDetails) : undefined;
}

/** A post by its share URN or activity URN, or a comment by its URN (deleted ones excluded). */
export function findTarget(store: SandboxStore, urn: string): StoredPost | undefined {
  return store.allPosts('linkedin').find((p) => !p.deleted && (p.id === urn || postDetails(p)?.activityUrn === urn));
}
