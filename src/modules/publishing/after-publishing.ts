/**
 * What can still be done to a post once a network has it: take it down (every part of its thread),
 * or correct its text where the network allows edits (Mastodon, Facebook, LinkedIn, Telegram,
 * YouTube titles and descriptions). Both are decisions of an approver of the post's unit, made
 * with the network answering there and then: the person sees at once whether it worked, and the
 * audit log keeps what was said before and after.
 *
 * A removal that the network answers "not found" counts as done (someone deleted it in the app).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError, invalidField } from '../../errors/errors.ts';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import type { Network } from '../networks/limits.ts';
import { validatePost } from '../networks/validate.ts';
import { freshCredentials, connectorChannel, markNeedsReconnect } from './channel-tokens.ts';
import { ConnectorError, type Connector, type PublishedPart } from './connector.ts';
import type { Keyring } from './keyring.ts';

const CALL_MS = 30_000;

interface Deps {
  db: Kysely<DB>;
  keyring: Keyring;
  connectorFor: (network: Network) => Connector | undefined;
}

async function publishedTarget(deps: Deps, postId: string, targetId: string) {
  const target = await deps.db.selectFrom('post_targets').selectAll().where('id', '=', targetId).where('post_id', '=', postId).executeTakeFirst();
  if (!target) throw new AppError('not_found');
  if (target.status !== 'published' || target.removed_at) {
    throw new AppError('post.illegal_transition', { params: { action: 'network', status: target.removed_at ? 'removed' : target.status, allowed: '-' }, details: { status: target.status, allowed: [] } });
  }
  const channel = await deps.db.selectFrom('channels').selectAll().where('id', '=', target.channel_id).executeTakeFirstOrThrow();
  const connector = deps.connectorFor(channel.network as Network);
  if (!connector) throw invalidField('network', 'Siar belum bisa menghubungi jaringan ini (no connector for this network)');
  if (channel.connection !== 'connected') throw invalidField('channel', 'akun perlu dihubungkan ulang dulu (the account needs reconnecting first)');
  const stored = (typeof target.parts === 'string' ? JSON.parse(target.parts) : target.parts) as PublishedPart[];
  const parts = stored.length > 0 ? stored : [{ externalId: target.external_id ?? '', url: target.external_url }];
  return { target, channel, connector, parts };
}

/** The network refused or failed: a 502 carrying its reason in Indonesian and English, and the channel marked when it is about credentials. */
async function networkFailure(deps: Deps, channel: Parameters<typeof markNeedsReconnect>[1], error: unknown): Promise<never> {
  if (!(error instanceof ConnectorError)) throw error;
  if (error.kind === 'auth') await markNeedsReconnect(deps.db, channel, error.reason);
  throw new AppError('publish.network_failed', { params: { reason: error.reason.id, reasonEn: error.reason.en }, details: { code: error.code, reason: error.reason, retryable: error.kind === 'transient' } });
}

export async function removeFromNetwork(deps: Deps & { postId: string; targetId: string; origin: AuditActor }): Promise<void> {
  const { target, channel, connector, parts } = await publishedTarget(deps, deps.postId, deps.targetId);
  try {
    const signal = AbortSignal.timeout(CALL_MS);
    const credentials = await freshCredentials(deps, channel, connector, { signal });
    await connector.remove({ channel: connectorChannel(channel), credentials, parts, signal });
  } catch (error) {
    if (!(error instanceof ConnectorError && error.code === 'not_found')) await networkFailure(deps, channel, error);
  }
  const now = new Date();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('post_targets').set({ removed_at: now, updated_at: now }).where('id', '=', target.id).execute();
    const post = await trx.selectFrom('posts').select(['id', 'unit_id']).where('id', '=', target.post_id).executeTakeFirstOrThrow();
    await recordAudit(trx, deps.origin, {
      action: 'post.target_removed', entityType: 'post', entityId: post.id, unitId: post.unit_id,
      before: { network: channel.network, channel: channel.handle, url: target.external_url, parts: parts.map((p) => p.externalId) },
    });
  });
}

/** The text on the network now: the last correction's, else what was published. */
async function saidOnNetwork(db: Kysely<DB>, postId: string, targetId: string, network: string): Promise<string[]> {
  const lastEdit = await db.selectFrom('audit_log').select('after').where('entity_id', '=', postId).where('action', '=', 'post.target_edited')
    .where(sql<boolean>`after->>'target' = ${targetId}`).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const texts = (lastEdit?.after as { texts?: string[] } | null | undefined)?.texts;
  if (texts) return texts;
  const variant = await db.selectFrom('post_variants').select(['text', 'parts']).where('post_id', '=', postId).where('network', '=', network as Network).executeTakeFirstOrThrow();
  return variant.parts.length > 1 ? variant.parts : [variant.text];
}

export async function editOnNetwork(deps: Deps & { postId: string; targetId: string; texts: string[]; title: string | null; origin: AuditActor }): Promise<void> {
  const { target, channel, connector, parts } = await publishedTarget(deps, deps.postId, deps.targetId);
  if (!connector.edit) throw invalidField('texts', 'jaringan ini tidak mengizinkan postingan diubah setelah terbit; hapus lalu terbitkan ulang (this network does not allow edits after publishing; remove and publish again)');
  if (deps.texts.length === 0 || deps.texts.length > parts.length) throw invalidField('texts', `beri teks untuk 1 sampai ${parts.length} bagian (give text for 1 to ${parts.length} parts)`);
  const network = channel.network as Network;
  deps.texts.forEach((text, index) => {
    const checked = validatePost(network, { text, title: deps.title ?? undefined, media: [] }, (channel.limit_overrides ?? {}) as Record<string, number>);
    const error = checked.issues.find((i) => i.severity === 'error' && i.rule.startsWith('text'));
    if (error) throw invalidField(`texts.${index}`, `${error.message.id} (${error.message.en})`);
  });
  const before = await saidOnNetwork(deps.db, target.post_id, target.id, target.network);
  try {
    const signal = AbortSignal.timeout(CALL_MS);
    const credentials = await freshCredentials(deps, channel, connector, { signal });
    await connector.edit({ channel: connectorChannel(channel), credentials, parts, texts: deps.texts, title: deps.title, signal });
  } catch (error) {
    await networkFailure(deps, channel, error);
  }
  const now = new Date();
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('post_targets').set({ edited_at: now, updated_at: now }).where('id', '=', target.id).execute();
    const post = await trx.selectFrom('posts').select(['id', 'unit_id']).where('id', '=', target.post_id).executeTakeFirstOrThrow();
    await recordAudit(trx, deps.origin, {
      action: 'post.target_edited', entityType: 'post', entityId: post.id, unitId: post.unit_id,
      before: { target: target.id, network: channel.network, channel: channel.handle, texts: before },
      after: { target: target.id, network: channel.network, channel: channel.handle, url: target.external_url, texts: deps.texts, at: now.toISOString() },
    });
  });
}
