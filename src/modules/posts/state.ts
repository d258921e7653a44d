/**
 * The life of a post as a table: which action is possible in which status, and where it leads.
 * Publishing (publishing → published / partly published / failed) is driven by the publisher; here
 * those statuses only accept what a person may still do with them.
 */
import { AppError } from '../../errors/errors.ts';
import type { PostStatus } from '../../db/schema.ts';

export const postStatuses = [
  'draft', 'in_review', 'changes_requested', 'approved', 'scheduled',
  'publishing', 'published', 'partly_published', 'failed', 'cancelled',
] as const satisfies readonly PostStatus[];

export const postActions = [
  'edit', 'submit', 'approve', 'request_changes', 'schedule', 'unschedule', 'reschedule',
  'withdraw', 'cancel', 'restore', 'publish_now', 'review_after',
] as const;
export type PostAction = (typeof postActions)[number];

/**
 * Where each action leads from each status. `approve` and `submit` may end in a different status
 * than listed (more tiers to go, no tiers at all, a time already chosen): see `afterApproval`.
 */
const table: Record<PostStatus, Partial<Record<PostAction, PostStatus>>> = {
  draft: { edit: 'draft', submit: 'in_review', reschedule: 'draft', cancel: 'cancelled', publish_now: 'scheduled' },
  changes_requested: { edit: 'changes_requested', submit: 'in_review', reschedule: 'changes_requested', withdraw: 'draft', cancel: 'cancelled', publish_now: 'scheduled' },
  in_review: { edit: 'in_review', approve: 'approved', request_changes: 'changes_requested', reschedule: 'in_review', withdraw: 'draft', cancel: 'cancelled', publish_now: 'scheduled' },
  // An edit after approval sends the post back to review.
  approved: { edit: 'in_review', schedule: 'scheduled', reschedule: 'approved', withdraw: 'draft', cancel: 'cancelled' },
  scheduled: { edit: 'in_review', unschedule: 'approved', reschedule: 'scheduled', withdraw: 'draft', cancel: 'cancelled', review_after: 'scheduled' },
  publishing: {},
  published: { review_after: 'published' },
  partly_published: { review_after: 'partly_published' },
  failed: { review_after: 'failed', cancel: 'cancelled' },
  cancelled: { restore: 'draft' },
};

export function allowedActions(status: PostStatus): PostAction[] {
  return postActions.filter((action) => table[status][action] !== undefined);
}

export function canTransition(status: PostStatus, action: PostAction): boolean {
  return table[status][action] !== undefined;
}

/** The status an action leads to, or a 409 saying which actions the current status allows. */
export function nextStatus(status: PostStatus, action: PostAction): PostStatus {
  const next = table[status][action];
  if (next === undefined) {
    const allowed = allowedActions(status);
    throw new AppError('post.illegal_transition', {
      params: { action, status, allowed: allowed.length > 0 ? allowed.join(', ') : '-' },
      details: { action, status, allowed },
    });
  }
  return next;
}

/** Statuses in which the content may still change before it goes out. */
export const editableStatuses: readonly PostStatus[] = postStatuses.filter((s) => canTransition(s, 'edit'));
