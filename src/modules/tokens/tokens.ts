/**
 * Personal API tokens for the REST API. The secret is shown once; Siar keeps its SHA-256 digest
 * and a short prefix so people can tell their tokens apart.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../errors/errors.ts';
import type { DB } from '../../db/schema.ts';
import { announceAuthChange } from '../auth/auth-context.ts';
import { digest, newSecret } from '../auth/secrets.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';

export const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type TokenView = z.infer<typeof tokenSchema>;

type TokenRow = { id: string; name: string; prefix: string; created_at: Date; last_used_at: Date | null; expires_at: Date | null };

export function presentToken(row: TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
  };
}

export async function listTokens(db: Kysely<DB>, userId: string): Promise<TokenView[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(presentToken);
}

export async function createToken(
  db: Kysely<DB>,
  input: { userId: string; name: string; expiresInDays?: number | undefined },
  origin: AuditActor,
): Promise<{ token: TokenView; secret: string }> {
  const secret = `siar_${newSecret(30)}`;
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const row = await db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('api_tokens')
      .values({ user_id: input.userId, name: input.name, prefix: secret.slice(0, 12), token_hash: digest(secret), expires_at: expiresAt, last_used_at: null, revoked_at: null })
      .returning(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'expires_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, origin, { action: 'token.create', entityType: 'api_token', entityId: created.id, after: presentToken(created) });
    return created;
  });
  return { token: presentToken(row), secret };
}

export async function revokeToken(db: Kysely<DB>, userId: string, tokenId: string, origin: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!revoked) throw new AppError('not_found');
    await recordAudit(trx, origin, { action: 'token.revoke', entityType: 'api_token', entityId: tokenId, before: { name: revoked.name } });
    await announceAuthChange(trx, userId);
  });
}
