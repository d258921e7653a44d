/** Which language to answer in: the client's Accept-Language (id or en), else Indonesian. */
import type { FastifyRequest } from 'fastify';
import type { Locale } from '../errors/errors.ts';

export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  if (typeof header === 'string') {
    const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
    if (first.startsWith('en')) return 'en';
    if (first.startsWith('id')) return 'id';
  }
  return request.auth?.user.locale ?? 'id';
}
