/**
 * Turns a request's credential (session cookie or API token) into the person behind it with their
 * memberships. Looked-up contexts are cached for a few seconds because every request needs one;
 * any change to a person's sessions, tokens, memberships or account drops their entries here at
 * once and, through NOTIFY 'siar_auth', in every other process sharing the database.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, Role, UnitKind } from '../../db/schema.ts';
import type { Actor, ActorMembership } from '../access/policies.ts';
import { digest } from './secrets.ts';

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  locale: 'id' | 'en';
  mustChangePassword: boolean;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: Date;
  /** Wants notifications by e-mail too. */
  notifyEmail: boolean;
}

export interface AuthMembership extends ActorMembership {
  unitName: string;
  unitKind: UnitKind;
  requireTwoFactor: boolean;
}

export interface AuthContext extends Actor {
  user: AuthUser;
  memberships: AuthMembership[];
  via: 'session' | 'token';
  /** Digest of the session secret or the token id. */
  credentialId: string;
  csrfToken: string | null;
  /** A unit of theirs requires two-factor sign-in and they have not set it up. */
  totpRequired: boolean;
}

interface CacheEntry {
  context: AuthContext;
  expiresAt: number;
}

const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;
const TOUCH_EVERY_MS = 5 * 60_000;
export const AUTH_CHANNEL = 'siar_auth';

export class AuthResolver {
  readonly #db: Kysely<DB>;
  readonly #sessionTtlMs: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #touched = new Map<string, number>();

  constructor(db: Kysely<DB>, sessionTtlHours: number) {
    this.#db = db;
    this.#sessionTtlMs = sessionTtlHours * 3600_000;
  }

  async fromSession(secret: string, now = Date.now()): Promise<AuthContext | null> {
    // Keyed by the secret itself (it never leaves this process), so a hit costs no hashing.
    const cached = this.#cached(`s:${secret}`, now);
    if (cached) return cached;
    const id = digest(secret);
    const row = await this.#db
      .selectFrom('sessions')
      .select(['user_id', 'csrf_token', 'last_seen_at'])
      .where('id', '=', id)
      .where('expires_at', '>', new Date(now))
      .executeTakeFirst();
    if (!row) return null;
    const context = await this.#load(row.user_id, 'session', id, row.csrf_token);
    if (!context) return null;
    this.#store(`s:${secret}`, context, now);
    await this.#touchSession(id, row.last_seen_at.getTime(), now);
    return context;
  }

  async fromToken(token: string, now = Date.now()): Promise<AuthContext | null> {
    const cached = this.#cached(`t:${token}`, now);
    if (cached) return cached;
    const hash = digest(token);
    const row = await this.#db
      .selectFrom('api_tokens')
      .select(['id', 'user_id', 'last_used_at'])
      .where('token_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date(now))]))
      .executeTakeFirst();
    if (!row) return null;
    const context = await this.#load(row.user_id, 'token', row.id, null);
    if (!context) return null;
    this.#store(`t:${token}`, context, now);
    if (!row.last_used_at || now - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
      await this.#db.updateTable('api_tokens').set({ last_used_at: new Date(now) }).where('id', '=', row.id).execute();
    }
    return context;
  }

  /** A context still in the cache, without touching the database. */
  cached(kind: 'session' | 'token', secret: string, now = Date.now()): AuthContext | null {
    return this.#cached(`${kind === 'session' ? 's' : 't'}:${secret}`, now);
  }

  /** Drops cached contexts of one person (or everyone), here only. */
  forget(userId?: string): void {
    if (userId === undefined) {
      this.#cache.clear();
      return;
    }
    for (const [key, entry] of this.#cache) if (entry.context.user.id === userId) this.#cache.delete(key);
  }

  async #load(userId: string, via: 'session' | 'token', credentialId: string, csrfToken: string | null): Promise<AuthContext | null> {
    const user = await this.#db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user || user.disabled) return null;
    const memberships = await loadMemberships(this.#db, userId);
    return {
      userId,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        locale: user.locale,
        mustChangePassword: user.must_change_password,
        totpEnabled: user.totp_enabled,
        disabled: user.disabled,
        createdAt: user.created_at,
        notifyEmail: user.notify_email,
      },
      memberships,
      via,
      credentialId,
      csrfToken,
      totpRequired: !user.totp_enabled && memberships.some((m) => m.requireTwoFactor),
    };
  }

  async #touchSession(id: string, lastSeen: number, now: number): Promise<void> {
    const touched = this.#touched.get(id) ?? lastSeen;
    if (now - touched < TOUCH_EVERY_MS) return;
    this.#touched.set(id, now);
    if (this.#touched.size > CACHE_MAX) this.#touched.clear();
    // Sliding expiry: a session stays alive while it is used.
    await this.#db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now), expires_at: new Date(now + this.#sessionTtlMs) })
      .where('id', '=', id)
      .execute();
  }

  #cached(key: string, now: number): AuthContext | null {
    const entry = this.#cache.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.#cache.delete(key);
      return null;
    }
    return entry.context;
  }

  #store(key: string, context: AuthContext, now: number): void {
    if (this.#cache.size >= CACHE_MAX) this.#cache.clear();
    this.#cache.set(key, { context, expiresAt: now + CACHE_MS });
  }
}

export async function loadMemberships(db: Kysely<DB>, userId: string): Promise<AuthMembership[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('units as u', 'u.id', 'm.unit_id')
    .select(['m.unit_id', 'm.role', 'u.parent_id', 'u.name', 'u.kind', 'u.require_two_factor'])
    .where('m.user_id', '=', userId)
    .orderBy('u.name')
    .execute();
  return rows.map((r) => ({
    unitId: r.unit_id,
    unitParentId: r.parent_id,
    role: r.role as Role,
    unitName: r.name,
    unitKind: r.kind,
    requireTwoFactor: r.require_two_factor,
  }));
}

/** Tells every process (this one included, once the transaction commits) to drop a person's cache. */
export async function announceAuthChange(trx: Kysely<DB>, userId: string | null): Promise<void> {
  await sql`select pg_notify(${AUTH_CHANNEL}, ${userId ?? '*'})`.execute(trx);
}
