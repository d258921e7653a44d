/**
 * One mapping from anything thrown during a request to the uniform error body
 * `{ error: { code, message, details } }`. Client mistakes (bad JSON, wrong types, unknown fields,
 * oversized bodies) become 4xx naming the problem; only Siar's own faults are 500s, and those are
 * logged with the request id while the client sees a safe message.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorBody, type ErrorCode } from '../errors/errors.ts';
import { requestLocale } from './locale.ts';

interface Issue {
  path: string;
  message: string;
}

function validationIssues(error: FastifyError & { validation: unknown[] }, location: string | undefined): Issue[] {
  return error.validation.map((raw) => {
    const item = raw as { instancePath?: string; message?: string; params?: { issue?: { keys?: string[] } } };
    const field = (item.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const keys = item.params?.issue?.keys;
    const path = [field, keys && keys.length > 0 ? keys.join(',') : ''].filter(Boolean).join('.');
    return { path: path || (location ?? 'body'), message: item.message ?? 'invalid', ...(location ? { location } : {}) };
  });
}

function fromFramework(error: FastifyError): AppError {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const location = (error as FastifyError & { validationContext?: string }).validationContext;
    return new AppError('validation.invalid', { details: { issues: validationIssues(error, location) } });
  }
  if (Array.isArray((error as { validation?: unknown }).validation)) {
    return new AppError('validation.invalid', { details: { issues: validationIssues(error as FastifyError & { validation: unknown[] }, undefined) } });
  }
  const status = error.statusCode ?? 500;
  const byCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_INVALID_JSON_BODY: 'request.malformed_json',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'request.malformed_json',
    FST_ERR_CTP_BODY_TOO_LARGE: 'request.body_too_large',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'request.bad',
  };
  const code = byCode[error.code];
  if (code) return new AppError(code, { details: { reason: error.message } });
  if (error instanceof SyntaxError || status === 400) return new AppError('request.malformed_json', { details: { reason: error.message } });
  if (status === 413) return new AppError('request.body_too_large');
  if (status === 415) return new AppError('request.unsupported_media_type');
  if (status === 429) return new AppError('rate_limited');
  if (status >= 400 && status < 500) return new AppError('request.bad', { details: { reason: error.message } });
  return new AppError('internal', { cause: error });
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = error instanceof AppError ? error : fromFramework(error as FastifyError);
  if (appError.status >= 500) {
    request.log.error({ err: error }, 'request failed');
  }
  if (appError.code === 'auth.locked' && typeof appError.details?.retryAfterSeconds === 'number') {
    void reply.header('retry-after', String(appError.details.retryAfterSeconds));
  }
  return reply.status(appError.status).type('application/json; charset=utf-8').send(errorBody(appError, requestLocale(request)));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.status(404).send(errorBody(new AppError('route.not_found'), requestLocale(request)));
}
