/**
 * A post as one person sees it: its content, the checks of every variant, quality hints, where its
 * approval stands, and which actions this person may take now.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.ts';
import type { DB } from '../../db/schema.ts';
import { canApproveTier, canChangePublished, canPublishUrgentDirectly, canReviewAfter, canWritePost, type Actor } from '../access/policies.ts';
import type { Network } from '../networks/limits.ts';
import { connectorFor } from '../publishing/connectors/index.ts';
import { approvalState, decisionsOf } from '../approvals/approval-state.ts';
import { mediaFilesBase } from '../media/presenters.ts';
import { policyFor } from '../approvals/policy.ts';
import { portalLineOf } from '../portal/manage/portal-line.ts';
import { unitPath } from '../units/queries.ts';
import { checkVariants, hintsFor } from './draft.ts';
import { presentPost, type PresentedPost } from './presenters.ts';
import { masterOf, sensitiveTermsFor, targetChannel, type PostAggregate } from './queries.ts';
import { allowedActions, type PostAction } from './state.ts';

export function mediaUrlFor(config: Pick<Config, 'publicUrl'>): (key: string) => string {
  const base = mediaFilesBase(config);
  return (key) => base + key;
}

export async function presentFor(db: Kysely<DB>, config: Pick<Config, 'publicUrl' | 'host' | 'port'>, aggregate: PostAggregate, actor: Actor): Promise<PresentedPost> {
  const { post } = aggregate;
  const [path, policy, decisions, author, mediaRows] = await Promise.all([
    unitPath(db, post.unit_id),
    policyFor(db, post.unit_id),
    decisionsOf(db, post.id),
    db.selectFrom('users').select('name').where('id', '=', post.author_id).executeTakeFirst(),
    aggregate.media.length > 0
      ? db.selectFrom('media').select(['id', 'storage_key', 'thumbnail_key']).where('id', 'in', aggregate.media.map((m) => m.id)).execute()
      : Promise.resolve([]),
  ]);
  const [terms, portal] = await Promise.all([sensitiveTermsFor(db, path), portalLineOf(db, config, post.id, { mayChange: canChangePublished(actor, path) })]);
  const approval = approvalState(post, policy, decisions);
  const tierPath = approval.currentTierUnitId ? await unitPath(db, approval.currentTierUnitId) : [];
  const approvedThisRound = decisions.some((d) => d.round === post.review_round && d.decision === 'approved' && d.approver.id === actor.userId);
  const writer = canWritePost(actor, path);
  const may: Record<PostAction, boolean> = {
    edit: writer, submit: writer, schedule: writer, unschedule: writer, reschedule: writer, withdraw: writer, cancel: writer, restore: writer,
    approve: approval.currentTier !== null && canApproveTier(actor, post.author_id, tierPath) && !approvedThisRound,
    request_changes: approval.currentTier !== null && canApproveTier(actor, post.author_id, tierPath),
    publish_now: post.urgent && canPublishUrgentDirectly(actor, path, policy.sertaMertaDirectRole),
    review_after: post.needs_post_review && canReviewAfter(actor, post.author_id, path),
  };
  return presentPost(aggregate, {
    authorName: author?.name ?? '',
    checks: checkVariants(aggregate.variants, aggregate.media, aggregate.targets.map((t) => targetChannel(t.channel))),
    hints: hintsFor(masterOf(aggregate), terms),
    approval,
    actions: allowedActions(post.status).filter((action) => may[action]),
    mediaUrl: mediaUrlFor(config),
    mediaKeys: new Map(mediaRows.map((m) => [m.id, { storageKey: m.storage_key, thumbnailKey: m.thumbnail_key }])),
    portal,
    targetActions: (target) => {
      const live = target.status === 'published' && target.removed_at === null && canChangePublished(actor, path);
      const actions: ('retry' | 'remove' | 'edit')[] = [];
      if (target.status === 'failed' && writer) actions.push('retry');
      if (live && connectorFor(target.network as Network)) actions.push('remove');
      if (live && connectorFor(target.network as Network)?.edit) actions.push('edit');
      return actions;
    },
  });
}
