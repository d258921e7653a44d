/**
 * Reading a sent feedback form (every field named, in plain Indonesian) and storing an accepted one
 * for the staff of the article's unit.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import {
  CONTACT_MAX, feedbackKinds, fieldNames, MESSAGE_MAX, MESSAGE_MIN, NAME_MAX,
  type FeedbackField, type FeedbackFormValues, type FeedbackKind,
} from './form.ts';

export interface SentForm {
  values: FeedbackFormValues;
  errors: Partial<Record<FeedbackField, string>>;
  /** The field people never see: anything in it means a robot filled the form. */
  honeypot: string;
  challenge: string;
  nonce: string;
}

/** A form-encoded field as one string (a field sent twice counts by its last value). */
function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  const one = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof one === 'string' ? one.toWellFormed() : '';
}

/** Length as a person counts it: characters, not UTF-16 units; a line break is one. */
export function characters(text: string): number {
  return [...text.replace(/\r\n/g, '\n')].length;
}

export function readFeedbackForm(body: unknown): SentForm {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: FeedbackFormValues = {
    kind: field(fields, fieldNames.kind),
    message: field(fields, fieldNames.message),
    name: field(fields, fieldNames.name),
    contact: field(fields, fieldNames.contact),
  };
  const errors: Partial<Record<FeedbackField, string>> = {};
  if (!feedbackKinds.includes(values.kind as FeedbackKind)) errors.kind = 'Pilih jenis pesan: Pertanyaan, Keluhan, atau Saran.';
  const message = values.message.trim();
  const length = characters(message);
  if (message === '') errors.message = 'Tulis pesan Anda.';
  else if (length < MESSAGE_MIN) errors.message = `Pesan terlalu pendek: ${length} karakter, paling sedikit ${MESSAGE_MIN}.`;
  else if (length > MESSAGE_MAX) errors.message = `Pesan terlalu panjang: ${length.toLocaleString('id-ID')} karakter, paling banyak ${MESSAGE_MAX.toLocaleString('id-ID')}.`;
  if (characters(values.name.trim()) > NAME_MAX) errors.name = `Nama paling banyak ${NAME_MAX} karakter.`;
  if (characters(values.contact.trim()) > CONTACT_MAX) errors.contact = `Kontak paling banyak ${CONTACT_MAX} karakter.`;
  return {
    values,
    errors,
    honeypot: field(fields, fieldNames.honeypot),
    challenge: field(fields, fieldNames.challenge).trim(),
    nonce: field(fields, fieldNames.nonce).trim(),
  };
}

export interface StoreFeedbackInput {
  postId: string;
  unitId: string;
  values: FeedbackFormValues;
}

export async function storeFeedback(db: Kysely<DB>, input: StoreFeedbackInput): Promise<string> {
  const optional = (text: string): string | null => (text.trim() === '' ? null : text.trim());
  const row = await db.insertInto('portal_feedback').values({
    post_id: input.postId,
    unit_id: input.unitId,
    kind: input.values.kind as FeedbackKind,
    name: optional(input.values.name),
    contact: optional(input.values.contact),
    message: input.values.message.trim().replace(/\r\n/g, '\n'),
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}
