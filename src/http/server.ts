/**
 * Builds the HTTP server: security headers, cookies, request ids, structured logs, metrics, the
 * OpenAPI document and docs page, health checks, the admin web app, and every module's routes
 * under /api/v1. The server holds no state of its own; everything lives in the database.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController } from 'fastify';
import secureJson from 'secure-json-parse';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { projectRoot } from '../config/config.ts';
import { auditRoutes } from '../modules/audit/routes.ts';
import { networkRoutes } from '../modules/networks/routes.ts';
import { approvalRoutes } from '../modules/approvals/routes.ts';
import { calendarRoutes } from '../modules/calendar/routes.ts';
import { channelRoutes } from '../modules/channels/routes.ts';
import { notificationRoutes } from '../modules/notifications/routes.ts';
import { frontCache } from '../modules/portal/front-cache.ts';
import { portalRoutes } from '../modules/portal/index.ts';
import { portalCacheOf, portalNotFound, wantsPortalPage } from '../modules/portal/routes.ts';
import { articleRoutes } from '../modules/portal/manage/routes.ts';
import { feedbackApiRoutes } from '../modules/portal/feedback/api-routes.ts';
import { kinerjaRoutes } from '../modules/kinerja/routes.ts';
import { kinerjaTellRoutes } from '../modules/kinerja/tell-routes.ts';
import { postRoutes } from '../modules/posts/routes.ts';
import { rubricRoutes } from '../modules/rubrics/routes.ts';
import { regulationRoutes } from '../modules/regulasi/routes.ts';
import { sensitiveTermRoutes } from '../modules/sensitive-terms/routes.ts';
import { publishingRoutes } from '../modules/publishing/routes.ts';
import { mediaRoutes, publicMediaRoutes } from '../modules/media/routes.ts';
import { authRoutes } from '../modules/auth/routes.ts';
import { tokenRoutes } from '../modules/tokens/routes.ts';
import { unitRoutes } from '../modules/units/routes.ts';
import { userRoutes } from '../modules/users/routes.ts';
import type { Services } from '../services.ts';
import { makeAuthenticate } from './authenticate.ts';
import { handleError, handleNotFound } from './error-handler.ts';
import { lazyChildLogger } from './lazy-logger.ts';
import { HttpMetrics } from './metrics.ts';
import { securityHeaders } from './security-headers.ts';
import type { App } from './types.ts';

export interface ServerOptions {
  services: Services;
  /** Answers /readyz: true once migrations ran and background jobs are up. */
  isReady: () => Promise<boolean>;
  adminDir?: string;
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

interface OpenApiDocument {
  paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: { anyOf?: { type?: string }[] } }> } }>>;
}

/** Actions whose body may be left out (no input) are documented with an optional request body. */
function markOptionalBodies(document: OpenApiDocument): OpenApiDocument {
  for (const methods of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(methods)) {
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      if (operation.requestBody && schema?.anyOf?.some((s) => s.type === 'null')) operation.requestBody.required = false;
    }
  }
  return document;
}

export async function buildServer({ services, isReady, adminDir = path.join(projectRoot, 'dist', 'admin') }: ServerOptions): Promise<App> {
  const { config } = services;
  // Kept portal pages are answered before Fastify (modules/portal/front-cache.ts); set up below.
  let front: ((request: IncomingMessage, response: ServerResponse) => boolean) | undefined;
  const app = Fastify({
    serverFactory: (handler) => createServer((request, response) => {
      if (front?.(request, response)) return;
      handler(request, response);
    }),
    logger: {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
    },
    childLoggerFactory: (logger, bindings, options) => lazyChildLogger(logger, bindings, options),
    // Fastify's own two lines per request are replaced by one line in onResponse (below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return sent !== undefined && typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
    // Router-level failures (an over-long path parameter, say) get the same error body as the rest.
    frameworkErrors: (error, request, reply) => {
      handleError(error, request, reply);
    },
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  // JSON bodies: an empty body counts as no body (clients often send the header anyway); a
  // `__proto__` or `constructor.prototype` key is refused rather than trusted.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, secureJson.parse(text, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const failure = error as Error & { statusCode?: number; code?: string };
      failure.statusCode = 400;
      failure.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(failure, undefined);
    }
  });
  // Presenters already give every answer its public shape; response schemas document it.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(handleError);
  // A browser asking for a portal address that does not exist gets the portal's page; /api and /admin keep the error body.
  const portalPage404 = portalNotFound(services);
  app.setNotFoundHandler((request, reply) => (wantsPortalPage(request) ? portalPage404(request, reply) : handleNotFound(request, reply)));
  app.decorateRequest('auth', null);

  const headers = securityHeaders({ https: config.publicUrl?.startsWith('https://') ?? false });
  front = frontCache({
    cache: portalCacheOf(services),
    pageHeaders: headers.page,
    acceptRequestId: (id) => REQUEST_ID.test(id),
    observe: (status, seconds) => metrics.observeRaw('GET', 'portal front cache', status, seconds),
  });
  // Hot-path hooks use callbacks rather than async functions: one promise fewer per request.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers(request.url.startsWith('/api/v1/') ? headers.api : headers.page).header('x-request-id', request.id);
    done();
  });

  await app.register(cookie);

  const metrics = new HttpMetrics();
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observe(request, reply);
    const mode = config.logRequests;
    if (mode === 'all' || (mode === 'errors' && (reply.statusCode >= 400 || reply.elapsedTime >= 1000))) {
      request.log.info(
        { method: request.method, url: request.url, route: request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), user: request.auth?.user.id },
        'request',
      );
    }
    done();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Siar API', version: '1', description: 'REST API of Siar. Authenticate with a personal API token: `Authorization: Bearer siar_…`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'siar_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) => markOptionalBodies((documentObject as { openapiObject: OpenApiDocument }).openapiObject) as never,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const ready = await isReady().catch(() => false);
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting' });
  });
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (config.metricsToken && request.headers.authorization !== `Bearer ${config.metricsToken}`) {
      return reply.status(401).send({ error: { code: 'auth.required', message: 'metrics token required' } });
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const authenticate = makeAuthenticate(services.auth);
  await app.register(async (api: App) => {
    api.addHook('onRequest', authenticate);
    await api.register(authRoutes, { services });
    await api.register(unitRoutes, { services });
    await api.register(userRoutes, { services });
    await api.register(tokenRoutes, { services });
    await api.register(auditRoutes, { services });
    await api.register(networkRoutes);
    await api.register(rubricRoutes, { services });
    await api.register(regulationRoutes, { services });
    await api.register(channelRoutes, { services });
    await api.register(postRoutes, { services });
    await api.register(approvalRoutes, { services });
    await api.register(calendarRoutes, { services });
    await api.register(notificationRoutes, { services });
    await api.register(sensitiveTermRoutes, { services });
    await api.register(publishingRoutes, { services });
    await api.register(mediaRoutes, { services });
    await api.register(articleRoutes, { services });
    await api.register(feedbackApiRoutes, { services });
    await api.register(kinerjaRoutes, { services });
    await api.register(kinerjaTellRoutes, { services });
  }, { prefix: '/api/v1' });
  await app.register(publicMediaRoutes, { services });

  if (existsSync(path.join(adminDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: adminDir, prefix: '/admin/', wildcard: false, index: ['index.html'] });
    app.get('/admin/*', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').sendFile('index.html'));
    app.get('/admin', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/admin/'));
  }
  // The public portal at the site's root (server-rendered pages, feeds, short links, feedback).
  await app.register(portalRoutes, { services });

  return app;
}
