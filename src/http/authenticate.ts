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

export function makeAuthenticate(resolver: AuthResolver) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const mode = request.routeOptions.config.auth ?? 'required';
    request.auth = null;
    const token = bearerToken(request);
    if (token) {
      request.auth = await resolver.fromToken(token);
      if (!request.auth) throw new AppError('auth.invalid_token');
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        request.auth = await resolver.fromSession(cookie);
        if (request.auth && !SAFE_METHODS.has(request.method)) {
          const sent = request.headers[CSRF_HEADER];
          if (typeof sent !== 'string' || !request.auth.csrfToken || !safeEqual(sent, request.auth.csrfToken)) {
            throw new AppError('auth.csrf');
          }
        }
      }
    }
    if (mode === 'none') return;
    if (!request.auth) throw new AppError('auth.required');
    if (mode === 'pending') return;
    if (request.auth.user.mustChangePassword) throw new AppError('auth.password_change_required');
    if (request.auth.totpRequired) throw new AppError('auth.totp_setup_required');
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
