/** Schemas shared by several route modules: ids, the error body, and common field shapes. */
import { z } from 'zod';

export const uuid = z.uuid({ error: 'harus UUID (must be a UUID)' });
export const idParams = z.strictObject({ id: uuid });
export const email = z.string().trim().max(254).pipe(z.email({ error: 'email tidak valid (invalid email)' }));
export const personName = z.string().trim().min(2).max(120);
export const roleSchema = z.enum(['admin', 'approver', 'editor', 'viewer']);
export const localeSchema = z.enum(['id', 'en']);

export const errorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

/** Standard error responses, for the OpenAPI document. */
export const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  422: errorResponse,
  429: errorResponse,
};

/** For actions that take no input: no body, `null` or `{}`; anything else is a mistake. */
export const emptyBody = z.strictObject({}).nullish();

export const noContent = z.null().describe('No content');
