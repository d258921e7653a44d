/**
 * Fastify plumbing shared by the simulated networks: form parsing, per-request account context, request counters,
 * and the two faults that behave the same everywhere (a held request and a lost response).
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { SandboxStore } from './store.ts';
import type { Fault } from './types.ts';

interface RequestContext {
  accountId: string;
  lostResponse: boolean;
}

const contexts = new WeakMap<object, RequestContext>();

export function contextOf(request: FastifyRequest): RequestContext | undefined {
  return contexts.get(request.raw);
}

/** Records which sandbox account a request belongs to, so counters and faults can be applied. */
export function bindAccount(store: SandboxStore, request: FastifyRequest, accountId: string): void {
  if (contexts.has(request.raw)) return;
  contexts.set(request.raw, { accountId, lostResponse: false });
  store.stat(accountId).requests += 1;
}

/** Rails/Rack style form decoding: `media_ids[]=1&media_ids[]=2` and repeated keys become arrays. */
export function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const isArray = rawKey.endsWith('[]');
    const key = isArray ? rawKey.slice(0, -2) : rawKey;
    const existing = out[key];
    if (existing === undefined) out[key] = isArray ? [value] : value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

export function createApp(store: SandboxStore, options: { bodyLimit?: number } = {}): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 60 * 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
  });
  void app.register(multipart, { limits: { fileSize: 100 * 1024 * 1024, files: 20 } });
  app.addHook('onSend', async (request, reply, payload) => {
    const context = contextOf(request);
    if (context?.lostResponse) {
      // The post exists now; the client never learns it.
      reply.raw.socket?.destroy();
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const context = contextOf(request);
    if (context && reply.statusCode >= 400) store.stat(context.accountId).rejected += 1;
  });
  return app;
}

/**
 * Handles the network-independent faults. Returns true when the request has been dealt with (held and dropped);
 * for `lost_response` it only marks the request, so the handler runs and the answer is thrown away.
 */
export async function applyTransportFault(
  store: SandboxStore,
  request: FastifyRequest,
  reply: FastifyReply,
  fault: Fault,
): Promise<boolean> {
  const context = contextOf(request);
  if (fault.kind === 'lost_response') {
    if (context) context.lostResponse = true;
    return false;
  }
  if (fault.kind === 'slow') {
    await new Promise((resolve) => setTimeout(resolve, fault.ms));
    return false;
  }
  if (fault.kind === 'timeout') {
    if (context) store.stat(context.accountId).rejected += 1;
    reply.hijack();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, fault.ms);
      // The client giving up closes the socket; stop holding then.
      request.raw.socket?.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    request.raw.socket?.destroy();
    return true;
  }
  return false;
}

export function retryAfterSeconds(fault: Fault, fallback: number): number {
  return fault.kind === 'rate_limit' ? fault.retryAfterSeconds : fallback;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export const urlPattern = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Escapes text and turns bare URLs into links, the way the networks render a plain-text post. */
export function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const index = match.index ?? 0;
    out += escapeHtml(text.slice(last, index));
    const url = escapeHtml(match[0]);
    out += `<a href="${url}" rel="nofollow noopener" target="_blank">${url}</a>`;
    last = index + match[0].length;
  }
  return out + escapeHtml(text.slice(last)).replace(/\n/g, '<br />');
}

export async function listenOn(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${actualPort}`;
}

export interface UploadedFile {
  field: string;
  filename: string;
  mime: string;
  data: Buffer;
}

/** Reads a multipart body into plain fields and file parts, or returns the parsed JSON/form body as fields. */
export async function readBody(
  request: FastifyRequest,
): Promise<{ fields: Record<string, unknown>; files: UploadedFile[] }> {
  if (!request.isMultipart()) {
    const body = request.body;
    return { fields: body && typeof body === 'object' ? (body as Record<string, unknown>) : {}, files: [] };
  }
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      files.push({ field: part.fieldname, filename: part.filename, mime: part.mimetype, data: await part.toBuffer() });
    } else {
      const key = part.fieldname.endsWith('[]') ? part.fieldname.slice(0, -2) : part.fieldname;
      const value = String(part.value);
      const existing = fields[key];
      if (existing === undefined) fields[key] = part.fieldname.endsWith('[]') ? [value] : value;
      else fields[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  return { fields, files };
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function strList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => str(v)).filter((v): v is string => v !== undefined);
  const single = str(value);
  return single === undefined || single === '' ? [] : [single];
}

export function sniffMime(data: Buffer, declared: string | undefined): string {
  if (declared && declared !== 'application/octet-stream') return declared;
  if (data[0] === 0xff && data[1] === 0xd8) return 'image/jpeg';
  if (data.subarray(0, 4).toString('latin1') === '\x89PNG') return 'image/png';
  if (data.subarray(0, 3).toString('latin1') === 'GIF') return 'image/gif';
  if (data.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (data.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
  return declared ?? 'application/octet-stream';
}
