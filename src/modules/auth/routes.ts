/** Sign-in, sign-out, the signed-in person (`/me`), password change and two-factor setup. */
import { z } from 'zod';
import { isSecureDeployment } from '../../config/config.ts';
import { CSRF_COOKIE, originOf, requireAuth, SESSION_COOKIE } from '../../http/authenticate.ts';
import { requestLocale } from '../../http/locale.ts';
import { email, emptyBody, errorResponses, noContent } from '../../http/schemas.ts';
import type { App } from '../../http/types.ts';
import type { Services } from '../../services.ts';
import { recordAudit } from '../audit/record.ts';
import { userSchema } from '../users/presenters.ts';
import type { AuthContext } from './auth-context.ts';
import { changePassword } from './change-password.ts';
import { login } from './login.ts';
import { endAllSessions, endSession } from './sessions.ts';
import { disableTwoFactor, enableTwoFactor, startTwoFactorSetup } from './two-factor.ts';

const meSchema = z.object({
  user: userSchema.extend({ notifyEmail: z.boolean() }),
  memberships: z.array(z.object({ unitId: z.string(), unitName: z.string(), unitKind: z.string(), role: z.string() })),
  csrfToken: z.string().nullable(),
});

function presentMe(auth: AuthContext): z.infer<typeof meSchema> {
  const u = auth.user;
  return {
    user: {
      id: u.id,
      email: u.email,
      name: u.name,
      locale: u.locale,
      mustChangePassword: u.mustChangePassword,
      totpEnabled: u.totpEnabled,
      totpRequired: auth.totpRequired,
      disabled: u.disabled,
      createdAt: u.createdAt.toISOString(),
      notifyEmail: u.notifyEmail,
    },
    memberships: auth.memberships.map((m) => ({ unitId: m.unitId, unitName: m.unitName, unitKind: m.unitKind, role: m.role })),
    csrfToken: auth.csrfToken,
  };
}

const totpCode = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, '6 angka (6 digits)') });

export async function authRoutes(app: App, { services }: { services: Services }): Promise<void> {
  const secure = isSecureDeployment(services.config);
  const cookieOptions = { path: '/', sameSite: 'lax' as const, secure };

  app.post('/auth/login', {
    config: { auth: 'none' },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password (and a TOTP code when two-factor is on)',
      body: z.strictObject({ email, password: z.string().min(1).max(1024), totp: z.string().trim().max(12).optional() }),
      response: { 200: z.object({ user: userSchema, csrfToken: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { email: address, password, totp } = request.body;
    const session = await login(services, { email: address, password, totp, origin: originOf(request) });
    const auth = await services.auth.fromSession(session.secret);
    if (!auth) throw new Error('session vanished right after login');
    void reply.setCookie(SESSION_COOKIE, session.secret, { ...cookieOptions, httpOnly: true, expires: session.expiresAt });
    void reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...cookieOptions, httpOnly: false, expires: session.expiresAt });
    return { user: presentMe(auth).user, csrfToken: session.csrfToken };
  });

  app.post('/auth/logout', {
    config: { auth: 'pending' },
    schema: { tags: ['auth'], summary: 'End this session', body: emptyBody, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    if (auth.via === 'session') {
      await services.db.transaction().execute(async (trx) => {
        await endSession(trx, auth.credentialId, auth.user.id);
        await recordAudit(trx, originOf(request), { action: 'user.logout', entityType: 'user', entityId: auth.user.id });
      });
      services.auth.forget(auth.user.id);
    }
    void reply.clearCookie(SESSION_COOKIE, cookieOptions).clearCookie(CSRF_COOKIE, cookieOptions);
    return reply.status(204).send(null);
  });

  app.post('/auth/logout-all', {
    config: { auth: 'pending' },
    schema: { tags: ['auth'], summary: 'End every session of the signed-in person (log out everywhere)', body: emptyBody, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    await services.db.transaction().execute(async (trx) => {
      const ended = await endAllSessions(trx, auth.user.id);
      await recordAudit(trx, originOf(request), { action: 'user.logout_all', entityType: 'user', entityId: auth.user.id, after: { sessionsEnded: ended } });
    });
    services.auth.forget(auth.user.id);
    void reply.clearCookie(SESSION_COOKIE, cookieOptions).clearCookie(CSRF_COOKIE, cookieOptions);
    return reply.status(204).send(null);
  });

  app.post('/auth/change-password', {
    config: { auth: 'pending' },
    schema: {
      tags: ['auth'],
      summary: 'Change the signed-in person’s password; other sessions end',
      body: z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }),
      response: { 204: noContent, ...errorResponses },
    },
  }, async (request, reply) => {
    const auth = requireAuth(request);
    await changePassword(services, {
      userId: auth.user.id,
      currentPassword: request.body.currentPassword,
      newPassword: request.body.newPassword,
      keepSessionId: auth.via === 'session' ? auth.credentialId : null,
      locale: requestLocale(request),
      origin: originOf(request),
    });
    return reply.status(204).send(null);
  });

  app.get('/me', {
    config: { auth: 'pending' },
    schema: { tags: ['auth'], summary: 'The signed-in person and their units', response: { 200: meSchema, ...errorResponses } },
  }, async (request) => presentMe(requireAuth(request)));

  app.post('/me/totp/setup', {
    config: { auth: 'pending' },
    schema: { tags: ['auth'], summary: 'Start two-factor setup: a new secret to scan', body: emptyBody, response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }), ...errorResponses } },
  }, async (request) => startTwoFactorSetup(services, requireAuth(request).user.id));

  app.post('/me/totp/enable', {
    config: { auth: 'pending' },
    schema: { tags: ['auth'], summary: 'Turn two-factor on with a code from the app', body: totpCode, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    await enableTwoFactor(services, requireAuth(request).user.id, request.body.code, originOf(request));
    return reply.status(204).send(null);
  });

  app.post('/me/totp/disable', {
    config: { auth: 'pending' },
    schema: { tags: ['auth'], summary: 'Turn two-factor off (needs a current code)', body: totpCode, response: { 204: noContent, ...errorResponses } },
  }, async (request, reply) => {
    await disableTwoFactor(services, requireAuth(request).user.id, request.body.code, originOf(request));
    return reply.status(204).send(null);
  });

  app.patch('/me', {
    config: { auth: 'pending' },
    schema: {
      tags: ['auth'],
      summary: 'Change own name, language, or whether notifications also come by e-mail',
      body: z.strictObject({ name: z.string().trim().min(2).max(120).optional(), locale: z.enum(['id', 'en']).optional(), notifyEmail: z.boolean().optional() }),
      response: { 200: meSchema, ...errorResponses },
    },
  }, async (request) => {
    const auth = requireAuth(request);
    const { name, locale, notifyEmail } = request.body;
    await services.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('users').select(['name', 'locale', 'notify_email']).where('id', '=', auth.user.id).executeTakeFirstOrThrow();
      await trx.updateTable('users').set({ ...(name ? { name } : {}), ...(locale ? { locale } : {}), ...(notifyEmail !== undefined ? { notify_email: notifyEmail } : {}), updated_at: new Date() }).where('id', '=', auth.user.id).execute();
      await recordAudit(trx, originOf(request), { action: 'user.update_self', entityType: 'user', entityId: auth.user.id, before, after: { name: name ?? before.name, locale: locale ?? before.locale, notify_email: notifyEmail ?? before.notify_email } });
    });
    services.auth.forget(auth.user.id);
    const fresh = auth.via === 'session' ? await services.auth.fromSession(request.cookies[SESSION_COOKIE] ?? '') : null;
    return presentMe(fresh ?? { ...auth, user: { ...auth.user, ...(name ? { name } : {}), ...(locale ? { locale } : {}), ...(notifyEmail !== undefined ? { notifyEmail } : {}) } });
  });
}

