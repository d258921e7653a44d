/** The Fastify instance type Siar's routes are written against (Zod schemas at the edge). */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/**
 * How a route is protected. `required`: a signed-in person whose account is in good standing.
 * `pending`: signed in, but allowed while a password change or two-factor setup is outstanding.
 * `none`: public.
 */
export type AuthMode = 'required' | 'pending' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
}
