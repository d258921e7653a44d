/**
 * Resolves who is calling before a route runs, and enforces what follows from it: a signed-in
 * person for protected routes, the CSRF token on cookie-authenticated writes, and the forced
 * password change and required two-factor setup before anything else.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/errors.ts';
import type { AuthContext, AuthResolver } from '../modules/auth/auth-context.ts';
import { safeEqual } from '../modules/auth/secrets.ts';
import type { AuditActor } from '../modules/audit/record.ts';

export const SESSION_COOKIE = 'siar_session';
export const CSRF_COOKIE = 'siar_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

type Credential = { kind: 'token' | 'session'; secret: string } | null;

function credentialOf(request: FastifyRequest): Credential {
  const token = bearerToken(request);
  if (token) return { kind: 'token', secret: token };
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { kind: 'session', secret: cookie } : null;
}

/** What the route demands once the caller is known; throws the matching AppError. */
function enforce(request: FastifyRequest, credential: Credential): void {
  const auth = request.auth;
  if (credential?.kind === 'token' && !auth) throw new AppError('auth.invalid_token');
  if (credential?.kind === 'session' && auth && !SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !auth.csrfToken || !safeEqual(sent, auth.csrfToken)) throw new AppError('auth.csrf');
  }
  const mode = request.routeOptions.config.auth ?? 'required';
  if (mode === 'none') return;
  if (!auth) throw new AppError('auth.required');
  if (mode === 'pending') return;
  if (auth.user.mustChangePassword) throw new AppError('auth.password_change_required');
  if (auth.totpRequired) throw new AppError('auth.totp_setup_required');
}

/**
 * The hook runs on every API request, so it is written with a callback: a caller found in the
 * sign-in cache is settled synchronously, and only a cache miss waits for the database.
 */
export function makeAuthenticate(resolver: AuthResolver) {
  return function authenticate(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
    const finish = (auth: AuthContext | null): void => {
      request.auth = auth;
      try {
        enforce(request, credential);
      } catch (error) {
        done(error as Error);
        return;
      }
      done();
    };
    const credential = credentialOf(request);
    if (!credential) {
      finish(null);
      return;
    }
    const cached = resolver.cached(credential.kind, credential.secret);
    if (cached) {
      finish(cached);
      return;
    }
    const lookup = credential.kind === 'token' ? resolver.fromToken(credential.secret) : resolver.fromSession(credential.secret);
    lookup.then(finish, (error: unknown) => done(error as Error));
  };
}

/** Who is acting and from where, for the audit log. */
export function originOf(request: FastifyRequest): AuditActor {
  const userAgent = request.headers['user-agent'];
  return {
    userId: request.auth?.user.id ?? null,
    label: request.auth?.user.email ?? null,
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null,
    requestId: request.id,
  };
}

export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AppError('auth.required');
  return request.auth;
}
