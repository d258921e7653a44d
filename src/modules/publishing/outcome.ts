/**
 * Writing down what happened to a target, and what follows for its post: the target's status and
 * links, the attempt's row, the post's overall status once every target has ended (published,
 * partly published or failed), an audit entry recording exactly what was said where, and a
 * notification to the author.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, PostStatus } from '../../db/schema.ts';
import { recordAuditMany, systemActor, type AuditActor, type AuditEvent } from '../audit/record.ts';
import { notifyEach } from '../notifications/notify.ts';
import type { PublishResult } from './connector.ts';

export type TargetEnd =
  | { kind: 'published'; result: PublishResult; text: string; found?: boolean }
  | { kind: 'failed'; code: string; reason: { id: string; en: string } }
  | { kind: 'retry'; at: Date; code: string; reason: { id: string; en: string } }
  | { kind: 'uncertain'; code: string; reason: { id: string; en: string } };

const attemptOutcome = (end: TargetEnd): 'published' | 'found' | 'permanent' | 'transient' | 'uncertain' =>
  end.kind === 'published' ? (end.found ? 'found' : 'published') : end.kind === 'failed' ? 'permanent' : end.kind === 'retry' ? 'transient' : 'uncertain';

export interface TargetEndRecord {
  targetId: string;
  attemptId: string | null;
  end: TargetEnd;
  now: Date;
}

export async function recordTargetEnd(db: Kysely<DB>, record: TargetEndRecord): Promise<{ postStatus: PostStatus }> {
  const [result] = await recordTargetEnds(db, [record]);
  return result!;
}

/**
 * Several targets' outcomes in one transaction (a batch gathered by group commit): each target's
 * row and attempt, one audit entry per published or failed target under one taking of the chain's
 * lock; then the posts whose last target this was are settled.
 */
export async function recordTargetEnds(db: Kysely<DB>, records: readonly TargetEndRecord[]): Promise<{ postStatus: PostStatus }[]> {
  if (records.length === 0) return [];
  const postOf = await db.transaction().execute(async (trx) => {
    // The commit does not wait for the disk: if the database itself crashed in the next instant and
    // lost these outcomes, each target would still hold its durable "attempt started" and be looked
    // up on the network again (never sent twice).
    await sql`set local synchronous_commit = off`.execute(trx);
    const ids = [...new Set(records.map((r) => r.targetId))].sort();
    const targets = new Map((await trx.selectFrom('post_targets').select(['id', 'post_id', 'channel_id']).where('id', 'in', ids).orderBy('id').forUpdate().execute()).map((t) => [t.id, t]));
    const missing = ids.find((id) => !targets.has(id));
    if (missing) throw new Error(`target ${missing} not found`);
    const channels = new Map((await trx.selectFrom('channels').select(['id', 'handle', 'network']).where('id', 'in', [...new Set([...targets.values()].map((t) => t.channel_id))]).execute()).map((c) => [c.id, c]));
    const posts = new Map((await trx.selectFrom('posts').select(['id', 'unit_id']).where('id', 'in', [...new Set([...targets.values()].map((t) => t.post_id))]).execute()).map((p) => [p.id, p]));

    // One UPDATE for every target: what each kind of end writes (a column left null keeps its value
    // where the kind does not touch it).
    const rows = records.map(({ targetId, end, now }) => {
      const failure = end.kind === 'published' ? null : end.reason;
      return {
        id: targetId,
        kind: end.kind,
        status: end.kind === 'published' ? 'published' : end.kind === 'failed' ? 'failed' : end.kind === 'retry' ? 'pending' : null,
        externalId: end.kind === 'published' ? end.result.externalId : null,
        externalUrl: end.kind === 'published' ? end.result.url : null,
        parts: end.kind === 'published' ? JSON.stringify(end.result.parts) : null,
        notice: end.kind === 'published' && end.result.notice ? JSON.stringify(end.result.notice) : null,
        error: failure?.en ?? null,
        errorCode: end.kind === 'published' ? null : end.code,
        errorReason: failure ? JSON.stringify(failure) : null,
        nextAttemptAt: end.kind === 'retry' ? end.at.toISOString() : null,
        now: now.toISOString(),
      };
    });
    const col = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key]);
    await sql`
      update post_targets t set
        status = coalesce(v.status, t.status),
        external_id = case when v.kind = 'published' then v.external_id else t.external_id end,
        external_url = case when v.kind = 'published' then v.external_url else t.external_url end,
        parts = case when v.kind = 'published' then v.parts::jsonb else t.parts end,
        notice = case when v.kind = 'published' then v.notice::jsonb else t.notice end,
        published_at = case when v.kind = 'published' then v.now else t.published_at end,
        uncertain = (v.kind = 'uncertain'),
        error = v.error, error_code = v.error_code, error_reason = v.error_reason::jsonb,
        next_attempt_at = case when v.kind = 'uncertain' then t.next_attempt_at else v.next_attempt_at end,
        updated_at = v.now
      from unnest(${col('id')}::uuid[], ${col('kind')}::text[], ${col('status')}::text[], ${col('externalId')}::text[],
                  ${col('externalUrl')}::text[], ${col('parts')}::text[], ${col('notice')}::text[], ${col('error')}::text[], ${col('errorCode')}::text[],
                  ${col('errorReason')}::text[], ${col('nextAttemptAt')}::timestamptz[], ${col('now')}::timestamptz[])
        as v(id, kind, status, external_id, external_url, parts, notice, error, error_code, error_reason, next_attempt_at, now)
      where t.id = v.id`.execute(trx);
    const attempts = records.filter((r) => r.attemptId !== null);
    if (attempts.length > 0) {
      await sql`
        update publish_attempts a set finished_at = v.now, outcome = v.outcome, code = v.code, detail = v.detail
        from unnest(${attempts.map((r) => r.attemptId)}::uuid[], ${attempts.map((r) => r.now.toISOString())}::timestamptz[],
                    ${attempts.map((r) => attemptOutcome(r.end))}::text[], ${attempts.map((r) => (r.end.kind === 'published' ? null : r.end.code))}::text[],
                    ${attempts.map((r) => (r.end.kind === 'published' ? r.end.result.url : r.end.reason.en))}::text[]) as v(id, now, outcome, code, detail)
        where a.id = v.id`.execute(trx);
    }
    // The audit chain is one global order: its entries go last, so its lock is held only to commit.
    await recordAuditMany(trx, records.flatMap(({ targetId, end, now }): { actor: AuditActor; event: AuditEvent }[] => {
      const target = targets.get(targetId)!;
      const post = posts.get(target.post_id)!;
      const channel = channels.get(target.channel_id)!;
      const event = { entityType: 'post', entityId: post.id, unitId: post.unit_id };
      if (end.kind === 'published') {
        return [{ actor: systemActor('penerbit'), event: { ...event, action: 'post.target_published', after: { network: channel.network, channel: channel.handle, url: end.result.url, externalId: end.result.externalId, text: end.text, at: now.toISOString() } } }];
      }
      if (end.kind === 'failed') {
        return [{ actor: systemActor('penerbit'), event: { ...event, action: 'post.target_failed', after: { network: channel.network, channel: channel.handle, code: end.code, reason: end.reason.en } } }];
      }
      return [];
    }));
    return new Map([...targets.values()].map((t) => [t.id, t.post_id]));
  });
  const settled = await settlePosts(db, [...new Set(postOf.values())], records[0]!.now);
  return records.map((r) => ({ postStatus: settled.get(postOf.get(r.targetId)!) ?? 'publishing' }));
}

/** One post's overall status (see settlePosts). */
export async function settlePost(db: Kysely<DB>, postId: string, now: Date): Promise<PostStatus> {
  return (await settlePosts(db, [postId], now)).get(postId) ?? 'publishing';
}

/**
 * The overall status of each post whose last target has ended: published, partly published or
 * failed, with the author told. Run after the targets' outcomes have committed, so of two targets
 * ending at the same moment (in two workers) the later one always sees both ended; the post rows
 * are locked only then, in id order, and only for this (the targets of one post end side by side
 * without waiting on it). Answers "publishing" for a post with a target still open.
 */
export async function settlePosts(db: Kysely<DB>, postIds: readonly string[], now: Date): Promise<Map<string, PostStatus>> {
  const answers = new Map<string, PostStatus>(postIds.map((id) => [id, 'publishing']));
  if (postIds.length === 0) return answers;
  const open = new Set((await db.selectFrom('post_targets').select('post_id').distinct().where('post_id', 'in', [...postIds]).where('status', 'in', ['pending', 'publishing']).execute()).map((r) => r.post_id));
  const ended = postIds.filter((id) => !open.has(id)).sort();
  if (ended.length === 0) return answers;
  await db.transaction().execute(async (trx) => {
    const posts = await trx.selectFrom('posts').select(['id', 'unit_id', 'author_id', 'title', 'status']).where('id', 'in', ended).orderBy('id').forUpdate().execute();
    const targets = await trx.selectFrom('post_targets').select(['post_id', 'status']).where('post_id', 'in', ended).execute();
    const audits: { actor: AuditActor; event: AuditEvent }[] = [];
    const notices: Parameters<typeof notifyEach>[1][number][] = [];
    const changed: { id: string; status: PostStatus }[] = [];
    for (const post of posts) {
      const statuses = targets.filter((t) => t.post_id === post.id).map((t) => t.status);
      let status: PostStatus = 'publishing';
      if (!statuses.some((s) => s === 'pending' || s === 'publishing')) {
        const published = statuses.filter((s) => s === 'published').length;
        status = published === statuses.length ? 'published' : published === 0 ? 'failed' : 'partly_published';
      }
      // Only a post that is going out is settled (a cancelled or withdrawn one keeps its state).
      if (status === post.status || !SETTLING.has(post.status)) {
        answers.set(post.id, post.status);
        continue;
      }
      answers.set(post.id, status);
      changed.push({ id: post.id, status });
      if (status !== 'publishing') {
        notices.push({ userIds: [post.author_id], notice: { kind: status === 'published' ? 'published' : status === 'failed' ? 'publish_failed' : 'publish_partly', postId: post.id, actorId: null, excerpt: post.title } });
        audits.push({ actor: systemActor('penerbit'), event: { action: `post.${status}`, entityType: 'post', entityId: post.id, unitId: post.unit_id, before: { status: post.status }, after: { status, targets: statuses.length } } });
      }
    }
    if (changed.length > 0) {
      await sql`
        update posts p set status = v.status, updated_at = ${now.toISOString()}::timestamptz
        from unnest(${changed.map((c) => c.id)}::uuid[], ${changed.map((c) => c.status)}::text[]) as v(id, status)
        where p.id = v.id`.execute(trx);
    }
    await notifyEach(trx, notices);
    await recordAuditMany(trx, audits);
  });
  return answers;
}

const SETTLING = new Set<PostStatus>(['publishing', 'scheduled', 'partly_published', 'failed', 'published']);
