/**
 * Who may do what with a unit's media. Anyone with a role on the unit (or above it) sees its
 * media; editors and up upload, describe and delete.
 */
import { atLeast, roleOn, type Actor } from '../access/policies.ts';

export const canViewMedia = (actor: Actor, unitPath: readonly string[]): boolean => roleOn(actor, unitPath) !== null;
export const canManageMedia = (actor: Actor, unitPath: readonly string[]): boolean => atLeast(roleOn(actor, unitPath), 'editor');
