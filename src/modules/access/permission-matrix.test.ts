/**
 * The permission matrix: every unit- and person-scoped route × every role × the target unit being
 * the actor's own unit, its parent, a sibling or a child. The expected answer of each cell is
 * derived from the same rules the handlers call (policies.ts), then checked against the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, startTestServer, type TestServer } from '../../../test/server.ts';
import type { Role } from '../../db/schema.ts';
import { systemActor } from '../audit/record.ts';
import { createToken } from '../tokens/tokens.ts';
import { createUnit } from '../units/save-unit.ts';
import { createUser } from '../users/manage-users.ts';
import { createPost } from '../posts/save-post.ts';
import {
  canApproveTier,
  canCommentOnPost,
  canManageApprovalPolicy,
  canManageChannels,
  canViewPost,
  canWritePost,
  canCreateUnitUnder,
  canEditUnit,
  canManageMembersOf,
  canManageUser,
  canViewAuditOf,
  canViewUnit,
  canViewUser,
  roles,
  type Actor,
} from './policies.ts';

type Relation = 'own' | 'parent' | 'sibling' | 'child';
const relations: Relation[] = ['own', 'parent', 'sibling', 'child'];

interface Cell {
  actor: Actor;
  unitId: string;
  /** A post in the unit, written by the unit's target person. */
  postId: string;
  unitPath: string[];
  targetUserId: string;
  targetPaths: string[][];
}

interface RouteCase {
  name: string;
  request: (client: Client, cell: Cell) => Promise<{ statusCode: number; body: string }>;
  expected: (cell: Cell) => number;
  /** Puts back what a successful call changed, so the next cell starts from the same state. */
  restore?: (cell: Cell) => Promise<void>;
}

const status = (visible: boolean, allowed: boolean, ok: number): number => (!visible ? 404 : allowed ? ok : 403);

describe('permission matrix: route × role × own / parent / sibling / child unit', () => {
  let server: TestServer;
  const units: Record<'province' | Relation, string> = { province: '', own: '', parent: '', sibling: '', child: '' };
  const paths: Record<Relation, string[]> = { own: [], parent: [], sibling: [], child: [] };
  const targetUsers: Record<Relation, string> = { own: '', parent: '', sibling: '', child: '' };
  const posts: Record<Relation, string> = { own: '', parent: '', sibling: '', child: '' };
  const tokens = new Map<Role, string>();
  const actorIds = new Map<Role, string>();
  let counter = 0;

  before(async () => {
    server = await startTestServer({ demo: false });
    const db = server.siar.services.db;
    const origin = systemActor('test');
    const top = await db.selectFrom('units').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow();
    // province ─┬─ parent (regency) ─┬─ own (agency) ── child (bureau)
    //           │                    └─ sibling (agency)
    units.province = top.id;
    units.parent = (await createUnit(db, { parentId: top.id, kind: 'regency', name: 'Kabupaten Uji' }, origin)).id;
    units.own = (await createUnit(db, { parentId: units.parent, kind: 'agency', name: 'Dinas Uji Sendiri' }, origin)).id;
    units.sibling = (await createUnit(db, { parentId: units.parent, kind: 'agency', name: 'Dinas Uji Saudara' }, origin)).id;
    units.child = (await createUnit(db, { parentId: units.own, kind: 'bureau', name: 'Bidang Uji Anak' }, origin)).id;
    paths.child = [units.child, units.own, units.parent, top.id];
    paths.own = [units.own, units.parent, top.id];
    paths.sibling = [units.sibling, units.parent, top.id];
    paths.parent = [units.parent, top.id];

    for (const relation of relations) {
      const { user } = await createUser(db, { email: `sasaran.${relation}@uji.go.id`, name: `Sasaran ${relation}`, unitId: units[relation], role: 'viewer' }, origin);
      targetUsers[relation] = user.id;
      const actor: Actor = { userId: user.id, memberships: [{ unitId: units[relation], unitParentId: null, role: 'editor' }] };
      const post = await createPost(db, {
        unitId: units[relation], title: `Berita ${relation}`, bodyHtml: '<p>Isi berita.</p>', summary: '', tags: [], language: 'id', urgent: false,
        media: [], variants: [{ network: 'facebook' }], targets: [],
      }, { actor, origin });
      posts[relation] = post.post.id;
      await db.updateTable('posts').set({ status: 'in_review', review_round: 1 }).where('id', '=', post.post.id).execute();
    }
    for (const role of roles) {
      const { user } = await createUser(db, { email: `pelaku.${role}@uji.go.id`, name: `Pelaku ${role}`, unitId: units.own, role }, origin);
      await db.updateTable('users').set({ must_change_password: false }).where('id', '=', user.id).execute();
      actorIds.set(role, user.id);
      tokens.set(role, (await createToken(db, { userId: user.id, name: 'matrix' }, origin)).secret);
    }
  });
  after(() => server.close());

  const routes: RouteCase[] = [
    { name: 'GET /units/:id', request: (c, x) => c.get(`/api/v1/units/${x.unitId}`), expected: (x) => status(canViewUnit(x.actor, x.unitPath), true, 200) },
    { name: 'GET /units/:id/path', request: (c, x) => c.get(`/api/v1/units/${x.unitId}/path`), expected: (x) => status(canViewUnit(x.actor, x.unitPath), true, 200) },
    {
      name: 'PATCH /units/:id',
      request: (c, x) => c.patch(`/api/v1/units/${x.unitId}`, { contact: { phone: '0541-000000' } }),
      expected: (x) => status(canViewUnit(x.actor, x.unitPath), canEditUnit(x.actor, x.unitPath), 200),
    },
    {
      name: 'POST /units (under the unit)',
      request: (c, x) => c.post('/api/v1/units', { parentId: x.unitId, kind: 'bureau', name: `Bidang Baru ${(counter += 1)}` }),
      expected: (x) => status(canViewUnit(x.actor, x.unitPath), canCreateUnitUnder(x.actor, x.unitPath), 201),
    },
    {
      name: 'GET /users?unitId',
      request: (c, x) => c.get(`/api/v1/users?unitId=${x.unitId}`),
      expected: (x) => status(canViewUnit(x.actor, x.unitPath), canManageMembersOf(x.actor, x.unitPath), 200),
    },
    {
      name: 'POST /users (in the unit)',
      request: (c, x) => c.post('/api/v1/users', { email: `baru${(counter += 1)}@uji.go.id`, name: 'Orang Baru', unitId: x.unitId, role: 'viewer' }),
      expected: (x) => status(canViewUnit(x.actor, x.unitPath), canManageMembersOf(x.actor, x.unitPath), 201),
    },
    {
      name: 'GET /users/:id (member of the unit)',
      request: (c, x) => c.get(`/api/v1/users/${x.targetUserId}`),
      expected: (x) => status(canViewUser(x.actor, x.targetUserId, x.targetPaths), true, 200),
    },
    {
      name: 'PATCH /users/:id',
      request: (c, x) => c.patch(`/api/v1/users/${x.targetUserId}`, { name: 'Nama Diubah' }),
      expected: (x) => status(canViewUser(x.actor, x.targetUserId, x.targetPaths), canManageUser(x.actor, x.targetUserId, x.targetPaths), 200),
    },
    {
      name: 'POST /users/:id/reset-password',
      request: (c, x) => c.post(`/api/v1/users/${x.targetUserId}/reset-password`),
      expected: (x) => status(canViewUser(x.actor, x.targetUserId, x.targetPaths), canManageUser(x.actor, x.targetUserId, x.targetPaths), 200),
    },
    {
      name: 'POST /users/:id/reset-two-factor',
      request: (c, x) => c.post(`/api/v1/users/${x.targetUserId}/reset-two-factor`),
      expected: (x) => status(canViewUser(x.actor, x.targetUserId, x.targetPaths), canManageUser(x.actor, x.targetUserId, x.targetPaths), 204),
    },
    {
      name: 'PUT /users/:id/memberships/:unitId',
      request: (c, x) => c.put(`/api/v1/users/${x.targetUserId}/memberships/${x.unitId}`, { role: 'editor' }),
      expected: (x) => status(canViewUser(x.actor, x.targetUserId, x.targetPaths) && canViewUnit(x.actor, x.unitPath), canManageMembersOf(x.actor, x.unitPath), 200),
      restore: async (x) => {
        await server.siar.services.db.updateTable('memberships').set({ role: 'viewer' }).where('user_id', '=', x.targetUserId).execute();
      },
    },
    {
      name: 'DELETE /users/:id/memberships/:unitId',
      request: (c, x) => c.delete(`/api/v1/users/${x.targetUserId}/memberships/${x.unitId}`),
      expected: (x) => status(canViewUser(x.actor, x.targetUserId, x.targetPaths) && canViewUnit(x.actor, x.unitPath), canManageMembersOf(x.actor, x.unitPath), 200),
      restore: async (x) => {
        await server.siar.services.db
          .insertInto('memberships')
          .values({ user_id: x.targetUserId, unit_id: x.unitId, role: 'viewer' })
          .onConflict((oc) => oc.columns(['user_id', 'unit_id']).doNothing())
          .execute();
      },
    },
    { name: 'GET /posts/:id', request: (c, x) => c.get(`/api/v1/posts/${x.postId}`), expected: (x) => status(canViewPost(x.actor, x.unitPath), true, 200) },
    {
      name: 'POST /posts (in the unit)',
      request: (c, x) => c.post('/api/v1/posts', { unitId: x.unitId, title: 'Berita baru', variants: [{ network: 'facebook' }] }),
      expected: (x) => status(canViewPost(x.actor, x.unitPath), canWritePost(x.actor, x.unitPath), 201),
    },
    {
      name: 'PATCH /posts/:id',
      request: async (c, x) => {
        const { version } = await server.siar.services.db.selectFrom('posts').select('version').where('id', '=', x.postId).executeTakeFirstOrThrow();
        return c.patch(`/api/v1/posts/${x.postId}`, { version, summary: `Ringkasan ${(counter += 1)}` });
      },
      expected: (x) => status(canViewPost(x.actor, x.unitPath), canWritePost(x.actor, x.unitPath), 200),
    },
    {
      name: 'POST /posts/:id/comments',
      request: (c, x) => c.post(`/api/v1/posts/${x.postId}/comments`, { body: 'Mohon dicek.' }),
      expected: (x) => status(canViewPost(x.actor, x.unitPath), canCommentOnPost(x.actor, x.unitPath), 201),
    },
    {
      name: 'POST /posts/:id/approve (tier 1 at the post’s unit)',
      request: (c, x) => c.post(`/api/v1/posts/${x.postId}/approve`),
      expected: (x) => status(canViewPost(x.actor, x.unitPath), canApproveTier(x.actor, x.targetUserId, x.unitPath), 200),
      restore: async (x) => {
        const db = server.siar.services.db;
        await db.deleteFrom('post_approvals').where('post_id', '=', x.postId).execute();
        await db.updateTable('posts').set({ status: 'in_review' }).where('id', '=', x.postId).execute();
      },
    },
    {
      name: 'PUT /units/:id/approval-policy',
      request: (c, x) => c.put(`/api/v1/units/${x.unitId}/approval-policy`, { tierUnitIds: [x.unitId] }),
      expected: (x) => status(canViewUnit(x.actor, x.unitPath), canManageApprovalPolicy(x.actor, x.unitPath), 200),
    },
    {
      name: 'POST /channels (in the unit)',
      request: (c, x) => c.post('/api/v1/channels', { unitId: x.unitId, network: 'telegram', name: 'Kanal', handle: `@kanal${(counter += 1)}` }),
      expected: (x) => status(canViewUnit(x.actor, x.unitPath), canManageChannels(x.actor, x.unitPath), 201),
    },
    {
      name: 'GET /audit?unitId',
      request: (c, x) => c.get(`/api/v1/audit?unitId=${x.unitId}`),
      expected: (x) => (canViewAuditOf(x.actor, x.unitPath) ? 200 : 404),
    },
  ];

  test('every cell answers as the policies say', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    const outcomes = new Set<number>();
    for (const route of routes) {
      for (const role of roles) {
        const client = new Client(server.app);
        client.token = tokens.get(role)!;
        const actor: Actor = { userId: actorIds.get(role)!, memberships: [{ unitId: units.own, unitParentId: units.parent, role }] };
        for (const relation of relations) {
          const cell: Cell = { actor, unitId: units[relation], postId: posts[relation], unitPath: paths[relation], targetUserId: targetUsers[relation], targetPaths: [paths[relation]] };
          const expected = route.expected(cell);
          const response = await route.request(client, cell);
          cells += 1;
          outcomes.add(response.statusCode);
          if (response.statusCode !== expected) mismatches.push(`${route.name} as ${role} on ${relation}: expected ${expected}, got ${response.statusCode} ${response.body.slice(0, 160)}`);
          if (response.statusCode < 300) await route.restore?.(cell);
        }
      }
    }
    assert.deepEqual(mismatches, []);
    assert.equal(cells, routes.length * roles.length * relations.length);
    // The matrix exercises allowed, forbidden and hidden answers alike.
    for (const code of [200, 201, 204, 403, 404]) assert.ok(outcomes.has(code), `no cell answered ${code}`);
  });

  test('a person with no role anywhere sees nothing', async () => {
    const db = server.siar.services.db;
    const { user } = await createUser(db, { email: 'tanpa.peran@uji.go.id', name: 'Tanpa Peran', unitId: units.own, role: 'viewer' }, systemActor('test'));
    await db.deleteFrom('memberships').where('user_id', '=', user.id).execute();
    await db.updateTable('users').set({ must_change_password: false }).where('id', '=', user.id).execute();
    const client = new Client(server.app);
    client.token = (await createToken(db, { userId: user.id, name: 'x' }, systemActor('test'))).secret;
    assert.deepEqual((await client.get('/api/v1/units')).json().items, []);
    assert.deepEqual((await client.get('/api/v1/users')).json().items, []);
    for (const relation of relations) {
      assert.equal((await client.get(`/api/v1/units/${units[relation]}`)).statusCode, 404);
      assert.equal((await client.get(`/api/v1/users/${targetUsers[relation]}`)).statusCode, 404);
    }
  });

  test('a person’s memberships outside the caller’s units are not shown', async () => {
    const db = server.siar.services.db;
    // The "own" target also gets a role in the sibling unit, which an admin of "own" cannot see.
    await db.insertInto('memberships').values({ user_id: targetUsers.own, unit_id: units.sibling, role: 'editor' }).execute();
    try {
      const admin = new Client(server.app);
      admin.token = tokens.get('admin')!;
      const shown = (await admin.get(`/api/v1/users/${targetUsers.own}`)).json().memberships.map((m: { unitId: string }) => m.unitId);
      assert.deepEqual(shown, [units.own]);
      const listed = (await admin.get('/api/v1/users')).json().items.find((u: { id: string }) => u.id === targetUsers.own);
      assert.deepEqual(listed.memberships.map((m: { unitId: string }) => m.unitId), [units.own]);
      const top = new Client(server.app);
      top.token = (await createToken(db, { userId: (await db.selectFrom('users').select('id').where('email', '=', server.firstAdmin.email).executeTakeFirstOrThrow()).id, name: 'x' }, systemActor('test'))).secret;
      await db.updateTable('users').set({ must_change_password: false }).where('email', '=', server.firstAdmin.email).execute();
      server.siar.services.auth.forget();
      assert.equal((await top.get(`/api/v1/users/${targetUsers.own}`)).json().memberships.length, 2);
    } finally {
      await db.deleteFrom('memberships').where('user_id', '=', targetUsers.own).where('unit_id', '=', units.sibling).execute();
    }
  });

  test('listing units shows the actor’s subtree only', async () => {
    const client = new Client(server.app);
    client.token = tokens.get('viewer')!;
    const ids = new Set((await client.get('/api/v1/units')).json().items.map((u: { id: string }) => u.id));
    assert.ok(ids.has(units.own) && ids.has(units.child));
    assert.ok(!ids.has(units.parent) && !ids.has(units.sibling) && !ids.has(units.province));
  });
});
