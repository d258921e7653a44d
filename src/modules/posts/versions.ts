/**
 * Version history: every save and every workflow step is a version holding the whole post. Two
 * versions compare field by field, with a word-level diff of the texts.
 */
import { diffWordsWithSpace } from 'diff';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import type { PostSnapshot } from './presenters.ts';

export interface VersionSummary {
  version: number;
  action: string;
  author: { id: string; name: string } | null;
  at: string;
  status: string;
}

export async function listVersions(db: Kysely<DB>, postId: string): Promise<VersionSummary[]> {
  const rows = await db.selectFrom('post_versions').leftJoin('users', 'users.id', 'post_versions.author_id')
    .select(['post_versions.version', 'post_versions.action', 'post_versions.created_at', 'post_versions.snapshot', 'users.id as user_id', 'users.name'])
    .where('post_id', '=', postId).orderBy('version', 'desc').execute();
  return rows.map((r) => ({
    version: r.version,
    action: r.action,
    author: r.user_id ? { id: r.user_id, name: r.name ?? '' } : null,
    at: r.created_at.toISOString(),
    status: (r.snapshot as PostSnapshot).status,
  }));
}

export async function getVersion(db: Kysely<DB>, postId: string, version: number) {
  const row = await db.selectFrom('post_versions').leftJoin('users', 'users.id', 'post_versions.author_id')
    .select(['post_versions.version', 'post_versions.action', 'post_versions.created_at', 'post_versions.snapshot', 'users.id as user_id', 'users.name'])
    .where('post_id', '=', postId).where('version', '=', version).executeTakeFirst();
  if (!row) throw new AppError('not_found');
  return {
    version: row.version,
    action: row.action,
    author: row.user_id ? { id: row.user_id, name: row.name ?? '' } : null,
    at: row.created_at.toISOString(),
    snapshot: row.snapshot as PostSnapshot,
  };
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  /** Word-level diff for text fields. */
  diff?: { op: 'equal' | 'insert' | 'delete'; text: string }[];
}

const TEXT_FIELDS = new Set(['title', 'bodyText', 'summary']);

function flatten(snapshot: PostSnapshot): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const { variants, bodyHtml: _html, ...rest } = snapshot;
  for (const [key, value] of Object.entries(rest)) fields.set(key, value);
  for (const variant of variants) {
    const { network, ...variantFields } = variant;
    for (const [key, value] of Object.entries(variantFields)) fields.set(`variants.${network}.${key}`, value);
  }
  return fields;
}

export function compareSnapshots(before: PostSnapshot, after: PostSnapshot): FieldChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: FieldChange[] = [];
  for (const field of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(field) ?? null;
    const y = b.get(field) ?? null;
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    const textual = (TEXT_FIELDS.has(field) || field.endsWith('.text')) && typeof x === 'string' && typeof y === 'string';
    changes.push({
      field,
      before: x,
      after: y,
      ...(textual ? { diff: diffWordsWithSpace(x, y).map((part) => ({ op: part.added ? 'insert' as const : part.removed ? 'delete' as const : 'equal' as const, text: part.value })) } : {}),
    });
  }
  return changes;
}
