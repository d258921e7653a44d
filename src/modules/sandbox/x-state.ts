/**
 * What the simulated X keeps besides accounts and posts (per sandbox store, nothing persisted): OAuth codes and
 * tokens, chunked media uploads. Also X-shaped ids and the two error envelopes X answers with: RFC 7807 problem
 * details for the API, `{error, error_description}` for the OAuth token endpoint.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { SandboxStore } from './store.ts';

export interface XContext {
  store: SandboxStore;
  baseUrl: () => string;
  webUrl: () => string;
}

export interface XGrant {
  accountId: string;
  scope: string[];
  clientId: string;
}

export interface XAccessToken extends XGrant {
  expiresAt: number;
}

export interface XCode extends XGrant {
  redirectUri: string;
  challenge: string;
  method: 'S256' | 'plain';
  expiresAt: number;
}

export interface XUpload {
  accountId: string;
  mime: string;
  category: string;
  totalBytes: number;
  segments: Map<number, Buffer>;
  finalized: boolean;
  expiresAt: number;
}

export interface XState {
  accessTokens: Map<string, XAccessToken>;
  refreshTokens: Map<string, XGrant>;
  codes: Map<string, XCode>;
  uploads: Map<string, XUpload>;
}

const states = new WeakMap<SandboxStore, XState>();

export function xState(store: SandboxStore): XState {
  let state = states.get(store);
  if (!state) {
    state = { accessTokens: new Map(), refreshTokens: new Map(), codes: new Map(), uploads: new Map() };
    states.set(store, state);
  }
  return state;
}

/** Scopes an account made by the sandbox holds: what Siar asks for. */
export const fullScope = ['tweet.read', 'tweet.write', 'users.read', 'offline.access', 'media.write'];

const twitterEpoch = 1288834974657n;
let lastSnowflake = 0n;

/** X ids: milliseconds since the X epoch shifted left 22 bits, strictly increasing, as decimal strings. */
export function xSnowflake(now: number): string {
  let id = (BigInt(now) - twitterEpoch) << 22n;
  if (id <= lastSnowflake) id = lastSnowflake + 1n;
  lastSnowflake = id;
  return id.toString();
}

/** Opaque tokens shaped like X's (base64 of `random:issuedAt:1:1:kind:1`); `kind` is at, rt or ac. */
export function xOpaqueToken(kind: 'at' | 'rt' | 'ac', now: number): string {
  return Buffer.from(`${randomBytes(30).toString('base64url')}:${now}:1:1:${kind}:1`).toString('base64url');
}

const problemBase = 'https://api.x.com/2/problems/';

/** An RFC 7807 problem the way X API v2 sends it (`type` is about:blank for plain HTTP failures). */
export function problem(reply: FastifyReply, status: number, title: string, detail: string, type = 'about:blank'): FastifyReply {
  return reply.code(status).send({ title, detail, type, status });
}

export function unauthorized(reply: FastifyReply): FastifyReply {
  return problem(reply, 401, 'Unauthorized', 'Unauthorized');
}

export function forbidden(reply: FastifyReply, detail: string): FastifyReply {
  return problem(reply, 403, 'Forbidden', detail);
}

export function tooManyRequests(reply: FastifyReply): FastifyReply {
  return problem(reply, 429, 'Too Many Requests', 'Too Many Requests');
}

/** 400 for a request X's schema validation refuses: one `errors` entry per broken parameter. */
export function invalidRequest(reply: FastifyReply, errors: { message: string; parameters?: Record<string, string[]> }[]): FastifyReply {
  return reply.code(400).send({
    errors: errors.map((e) => ({ parameters: e.parameters ?? {}, message: e.message })),
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: `${problemBase}invalid-request`,
  });
}

/** X's partial error for a post that does not exist (or was deleted): reads answer 200 with it. */
export function notFoundError(id: string, parameter = 'id'): Record<string, unknown> {
  return {
    value: id,
    detail: `Could not find tweet with ${parameter}: [${id}].`,
    title: 'Not Found Error',
    resource_type: 'tweet',
    parameter,
    resource_id: id,
    type: `${problemBase}resource-not-found`,
  };
}

export function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).send({ error, error_description: description });
}

export function secondsCeil(ms: number): string {
  return String(Math.ceil(ms / 1000));
}
