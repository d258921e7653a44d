/**
 * How the simulated YouTube Data API admits a request: the bearer token (401 authError when unknown or expired),
 * its scopes (403 insufficientPermissions), injected faults answered as Google answers them, and the daily quota of
 * the caller's Google Cloud project (units per method, reset at midnight Pacific time, 403 quotaExceeded when spent).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxStore } from './store.ts';
import type { Fault, SandboxAccount } from './types.ts';
import { applyTransportFault, bindAccount } from './http.ts';
import { youtubeToken } from './youtube-oauth.ts';
import type { YoutubeToken } from './youtube-oauth.ts';

export interface YoutubeContext {
  store: SandboxStore;
  baseUrl: () => string;
  webUrl: () => string;
}

const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
};

/** Google's JSON error envelope: {error: {code, message, errors: [{message, domain, reason}], status}}. */
export function googleError(
  reply: FastifyReply,
  code: number,
  reason: string,
  message: string,
  extra: { domain?: string; location?: string; locationType?: string; detailMessage?: string } = {},
): FastifyReply {
  const detail: Record<string, string> = { message: extra.detailMessage ?? message, domain: extra.domain ?? 'youtube.api', reason };
  if (extra.location) detail.location = extra.location;
  if (extra.locationType) detail.locationType = extra.locationType;
  const error: Record<string, unknown> = { code, message, errors: [detail] };
  const status = statusNames[code];
  if (status) error.status = status;
  return reply.code(code).send({ error });
}

const invalidCredentials =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export function authError(reply: FastifyReply): FastifyReply {
  reply.header('WWW-Authenticate', 'Bearer realm="https://accounts.google.com/", error="invalid_token"');
  return googleError(reply, 401, 'authError', invalidCredentials, {
    domain: 'global', location: 'Authorization', locationType: 'header', detailMessage: 'Invalid Credentials',
  });
}

const quotaMessage = 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';

export function quotaExceeded(reply: FastifyReply): FastifyReply {
  return googleError(reply, 403, 'quotaExceeded', quotaMessage, { domain: 'youtube.quota' });
}

/** YouTube's quota day runs from midnight to midnight Pacific time. */
function pacificDay(now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const quotaUsed = new WeakMap<SandboxStore, Map<string, number>>();

/** Charges `cost` units to the project; false when the day's quota cannot cover it (nothing is charged then). */
export function chargeQuota(store: SandboxStore, project: string, cost: number): boolean {
  let used = quotaUsed.get(store);
  if (!used) {
    used = new Map();
    quotaUsed.set(store, used);
  }
  const key = `${project}|${pacificDay(store.now())}`;
  const spent = used.get(key) ?? 0;
  if (spent + cost > store.limits.youtubeQuotaUnitsPerDay) return false;
  used.set(key, spent + cost);
  return true;
}

/** Answers an injected fault the way Google would; true when the request has been answered (or dropped). */
export async function answerFault(store: SandboxStore, request: FastifyRequest, reply: FastifyReply, fault: Fault | null): Promise<boolean> {
  if (!fault) return false;
  if (await applyTransportFault(store, request, reply, fault)) return true;
  switch (fault.kind) {
    case 'lost_response':
    case 'slow':
      return false;
    case 'rate_limit':
      reply.header('Retry-After', String(fault.retryAfterSeconds));
      googleError(reply, 429, 'rateLimitExceeded', 'Resource has been exhausted (e.g. check quota).', { domain: 'usageLimits' });
      return true;
    case 'daily_cap':
      quotaExceeded(reply);
      return true;
    case 'expired_token':
      authError(reply);
      return true;
    default:
      googleError(reply, 500, 'backendError', 'Internal error encountered.', { domain: 'global' });
      return true;
  }
}

export interface Admitted {
  account: SandboxAccount;
  token: YoutubeToken;
}

/** Scope sets that allow a kind of call (any one of them is enough), from each method's reference page. */
export const scopeSets = {
  read: ['youtube.readonly', 'youtube', 'youtube.force-ssl', 'youtubepartner'],
  upload: ['youtube.upload', 'youtube', 'youtube.force-ssl', 'youtubepartner'],
  manage: ['youtube', 'youtube.force-ssl', 'youtubepartner'],
  comments: ['youtube.force-ssl'],
} as const;

function hasScope(token: YoutubeToken, allowed: readonly string[]): boolean {
  return token.scopes.some((scope) => allowed.includes(scope.replace('https://www.googleapis.com/auth/', '')));
}

export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

/**
 * Authenticates, checks scopes, applies an injected fault and charges the quota. Undefined means the answer has been
 * sent. Quota is charged for refused calls too, as Google does once a request reaches the API.
 */
export async function admit(
  ctx: YoutubeContext,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { publish: boolean; cost: number; scopes: readonly string[] },
): Promise<Admitted | undefined> {
  const { store } = ctx;
  const presented = bearerOf(request);
  if (presented === undefined) {
    googleError(reply, 401, 'required', 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.', {
      domain: 'global', location: 'Authorization', locationType: 'header', detailMessage: 'Login Required.',
    });
    return undefined;
  }
  const token = youtubeToken(store, presented);
  const account = token?.kind === 'access' ? store.account(token.accountId) : undefined;
  if (!token || !account) {
    authError(reply);
    return undefined;
  }
  bindAccount(store, request, account.id);
  if (token.expiresAt !== null && token.expiresAt <= store.now()) {
    authError(reply);
    return undefined;
  }
  if (!hasScope(token, options.scopes)) {
    googleError(reply, 403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', { domain: 'global', detailMessage: 'Insufficient Permission' });
    return undefined;
  }
  if (await answerFault(store, request, reply, store.takeFault(account.id, options.publish))) return undefined;
  if (!chargeQuota(store, token.project, options.cost)) {
    quotaExceeded(reply);
    return undefined;
  }
  return { account, token };
}
