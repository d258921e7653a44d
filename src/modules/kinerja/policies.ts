/**
 * Who may do what with a unit's kinerja. Anyone with a role on the unit (or above it) reads it;
 * editors, approvers and admins import and edit; admins set the category bands.
 */
import { atLeast, roleOn, type Actor } from '../access/policies.ts';

export const canViewKinerja = (actor: Actor, unitPath: readonly string[]): boolean => roleOn(actor, unitPath) !== null;
export const canEditKinerja = (actor: Actor, unitPath: readonly string[]): boolean => atLeast(roleOn(actor, unitPath), 'editor');
export const canManageKinerjaSettings = (actor: Actor, unitPath: readonly string[]): boolean => atLeast(roleOn(actor, unitPath), 'admin');
