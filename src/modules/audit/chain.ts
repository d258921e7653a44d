/**
 * The audit chain's hashing. Each entry's hash covers its own fields and the previous entry's hash,
 * so changing, removing or reordering any row breaks every hash after it. JSON is written with
 * sorted keys so the hash does not depend on how jsonb happens to order an object.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  id: string;
  at: Date;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  unitId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
}

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(prevHash: string, fields: ChainedFields): string {
  const body = canonicalJson({ ...fields, at: fields.at.toISOString(), before: fields.before ?? null, after: fields.after ?? null });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
