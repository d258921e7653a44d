/**
 * Reads a `multipart/form-data` upload into memory with limits. The file is read chunk by chunk:
 * as soon as its first bytes show the kind, that kind's size limit applies, and the read stops
 * (413 `media.too_large`) the moment a limit is passed, so an oversized upload is cut off rather
 * than buffered. Anything the multipart parser throws becomes a 4xx.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalidField } from '../../errors/errors.ts';
import { largestLimit, tooLarge, type MediaLimits } from './limits.ts';
import { SNIFF_BYTES, sniff } from './sniff.ts';

export const UPLOAD_FILE_FIELD = 'file';
export const MAX_UPLOAD_FIELDS = 5;
/** alt (≤ 1500 characters, up to 4 bytes each in UTF-8) is the largest field. */
export const MAX_FIELD_BYTES = 8 * 1024;

/** The options @fastify/multipart is registered with for the media routes. */
export function multipartLimits(limits: MediaLimits) {
  return {
    files: 1,
    fileSize: largestLimit(limits),
    fields: MAX_UPLOAD_FIELDS,
    fieldSize: MAX_FIELD_BYTES,
    fieldNameSize: 100,
    parts: MAX_UPLOAD_FIELDS + 1,
    headerPairs: 100,
  };
}

export interface UploadForm {
  fields: Record<string, string>;
  file: { filename: string | null; data: Buffer } | null;
}

export interface ReadUploadOptions {
  limits: MediaLimits;
  /** Called when the file part starts, with the fields sent before it (to refuse early, before reading the file). */
  beforeFile?: ((fields: Record<string, string>) => Promise<void>) | undefined;
}

/** Multipart parser failures, by their stable codes. */
function fromParser(error: unknown, limits: MediaLimits): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(limits);
  if (code === 'FST_FILES_LIMIT') return invalidField(UPLOAD_FILE_FIELD, 'satu berkas per unggahan (one file per upload)');
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return invalidField('body', `paling banyak ${MAX_UPLOAD_FIELDS} kolom (at most ${MAX_UPLOAD_FIELDS} fields)`);
  if (code === 'FST_PROTO_VIOLATION' || code === 'FST_INVALID_JSON_FIELD_ERROR') return invalidField('body', 'kolom tidak valid (invalid field)');
  // Malformed multipart (no boundary, a part cut short, the client went away): the client's fault.
  return new AppError('request.bad', { details: { reason: error instanceof Error ? error.message : 'malformed multipart body' }, cause: error });
}

async function readFile(stream: AsyncIterable<Buffer> & { truncated?: boolean }, limits: MediaLimits): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let cap = largestLimit(limits);
  let sniffed = false;
  let refused = false;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > cap || stream.truncated) throw tooLarge(limits);
    // Not a type Siar takes: keep only the first bytes (the operation names the refusal) and let
    // the rest flow by, so fields sent after the file are still read.
    if (refused) continue;
    chunks.push(chunk);
    if (!sniffed && total >= SNIFF_BYTES) {
      sniffed = true;
      const type = sniff(Buffer.concat(chunks));
      if (type) cap = limits[type.kind];
      else refused = true;
      if (total > cap) throw tooLarge(limits);
    }
  }
  if (stream.truncated) throw tooLarge(limits);
  return Buffer.concat(chunks);
}

export async function readUploadForm(request: FastifyRequest, reply: FastifyReply, options: ReadUploadOptions): Promise<UploadForm> {
  const fields: Record<string, string> = {};
  let file: UploadForm['file'] = null;
  try {
    for await (const part of request.parts({ limits: multipartLimits(options.limits) })) {
      if (part.type === 'field') {
        if (part.valueTruncated || part.fieldnameTruncated) throw invalidField(part.fieldname, 'terlalu panjang (too long)');
        if (part.fieldname in fields) throw invalidField(part.fieldname, 'dikirim dua kali (sent twice)');
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== UPLOAD_FILE_FIELD) throw invalidField(part.fieldname, `berkas harus di kolom "${UPLOAD_FILE_FIELD}" (the file goes in "${UPLOAD_FILE_FIELD}")`);
      await options.beforeFile?.(fields);
      file = { filename: part.filename || null, data: await readFile(part.file, options.limits) };
    }
  } catch (error) {
    const refusal = fromParser(error, options.limits);
    // The rest of an oversized body is not worth reading: close the connection after answering.
    if (refusal.code === 'media.too_large') void reply.header('connection', 'close');
    throw refusal;
  }
  return { fields, file };
}
