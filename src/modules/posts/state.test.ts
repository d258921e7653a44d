import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../errors/errors.ts';
import { allowedActions, nextStatus, postActions, postStatuses } from './state.ts';

const legal: Record<string, string> = {
  'draft edit': 'draft', 'draft submit': 'in_review', 'draft reschedule': 'draft', 'draft cancel': 'cancelled', 'draft publish_now': 'scheduled',
  'changes_requested edit': 'changes_requested', 'changes_requested submit': 'in_review', 'changes_requested reschedule': 'changes_requested',
  'changes_requested withdraw': 'draft', 'changes_requested cancel': 'cancelled', 'changes_requested publish_now': 'scheduled',
  'in_review edit': 'in_review', 'in_review approve': 'approved', 'in_review request_changes': 'changes_requested', 'in_review reschedule': 'in_review',
  'in_review withdraw': 'draft', 'in_review cancel': 'cancelled', 'in_review publish_now': 'scheduled',
  'approved edit': 'in_review', 'approved schedule': 'scheduled', 'approved reschedule': 'approved', 'approved withdraw': 'draft', 'approved cancel': 'cancelled',
  'scheduled edit': 'in_review', 'scheduled unschedule': 'approved', 'scheduled reschedule': 'scheduled', 'scheduled withdraw': 'draft', 'scheduled cancel': 'cancelled', 'scheduled review_after': 'scheduled',
  'published review_after': 'published', 'partly_published review_after': 'partly_published', 'failed review_after': 'failed', 'failed cancel': 'cancelled',
  'cancelled restore': 'draft',
};

describe('post state machine', () => {
  test('every legal transition leads where the workflow says', () => {
    for (const [key, to] of Object.entries(legal)) {
      const [from, action] = key.split(' ') as [never, never];
      assert.equal(nextStatus(from, action), to, key);
    }
  });

  test('every other status × action is refused with 409 naming what is allowed', () => {
    let refused = 0;
    for (const status of postStatuses) {
      for (const action of postActions) {
        if (`${status} ${action}` in legal) continue;
        refused += 1;
        assert.throws(() => nextStatus(status, action), (error: unknown) => {
          assert.ok(error instanceof AppError);
          assert.equal(error.status, 409);
          assert.equal(error.code, 'post.illegal_transition');
          assert.deepEqual(error.details?.allowed, allowedActions(status));
          assert.match(error.localized('id'), new RegExp(`"${action}"`));
          return true;
        }, `${status} ${action}`);
      }
    }
    assert.equal(refused, postStatuses.length * postActions.length - Object.keys(legal).length);
  });

  test('nothing happens to a post while it is being published', () => {
    assert.deepEqual(allowedActions('publishing'), []);
  });
});
