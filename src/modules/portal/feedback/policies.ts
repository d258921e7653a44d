/**
 * Who handles citizens' feedback: the staff of the article's unit or of a unit above it. Everyone
 * with a role there reads the queue (contacts included: they are the unit's own staff); editors and
 * above change a message's status. The same rules as reading and writing the unit's posts.
 */
import { canViewPost, canWritePost, type Actor } from '../../access/policies.ts';

export const canReadFeedback = (actor: Actor, unitPath: readonly string[]): boolean => canViewPost(actor, unitPath);
export const canModerateFeedback = (actor: Actor, unitPath: readonly string[]): boolean => canWritePost(actor, unitPath);
