/**
 * A post's life through the API on both databases: write, adapt, check, submit, approve through
 * tiers, schedule in the unit's zone, edit after approval, optimistic locking, serta-merta, comments
 * with mentions, versions and compare, and the calendar.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backendNames, postgresSkipReason } from '../../../test/backends.ts';
import { makePerson, makeUnit, topUnitId, type Person } from '../../../test/people.ts';
import { startTestServer, type TestServer } from '../../../test/server.ts';
import { multipartBody, photo } from '../media/test-fixtures.ts';

const LONG_BODY = Array.from({ length: 12 }, (_, i) =>
  `Kalimat ke-${i + 1}: Pemerintah Provinsi Kalimantan Timur melanjutkan pembangunan jalan penghubung antarkabupaten agar distribusi barang lebih lancar.`).join(' ');

const nextYear = new Date().getUTCFullYear() + 1;

for (const backend of backendNames) {
  describe(`post workflow (${backend})`, { skip: backend === 'postgres' ? await postgresSkipReason() : false }, () => {
    let server: TestServer;
    let province: string;
    let regency: string;
    let agency: string;
    let admin: Person;
    let editor: Person;
    let editor2: Person;
    let approver: Person;
    let provinceApprover: Person;
    let viewer: Person;
    let xChannel: string;
    let fbChannel: string;
    let mastodonChannel: string;

    before(async () => {
      server = await startTestServer({ backend, demo: false });
      province = await topUnitId(server);
      regency = await makeUnit(server, province, 'regency', 'Kabupaten Alur');
      agency = await makeUnit(server, regency, 'agency', 'Dinas Alur');
      admin = await makePerson(server, regency, 'admin', 'Admin Kabupaten');
      editor = await makePerson(server, agency, 'editor', 'Rina Penulis');
      editor2 = await makePerson(server, agency, 'editor', 'Budi Penulis');
      approver = await makePerson(server, agency, 'approver', 'Sari Penyetuju');
      provinceApprover = await makePerson(server, province, 'approver', 'Ahmad Provinsi');
      viewer = await makePerson(server, agency, 'viewer', 'Dewi Pembaca');
      const channel = async (network: string, handle: string, unitId = agency, limitOverrides = {}) => {
        const response = await admin.client.post('/api/v1/channels', { unitId, network, name: `Dinas Alur ${network}`, handle, limitOverrides });
        assert.equal(response.statusCode, 201, response.body);
        return response.json().id as string;
      };
      xChannel = await channel('x', '@dinasalur');
      fbChannel = await channel('facebook', 'dinasalur');
      // A Mastodon instance with its own, larger limit.
      mastodonChannel = await channel('mastodon', '@dinasalur@sosial.kaltimprov.go.id', agency, { maxText: 1000 });
    });
    after(() => server.close());

    const draft = async (overrides: Record<string, unknown> = {}, by = editor) => {
      const response = await by.client.post('/api/v1/posts', {
        unitId: agency,
        title: 'Jembatan Mahakam IV dibuka untuk umum',
        bodyHtml: '<p>Jembatan Mahakam IV resmi dibuka hari ini. Warga dapat melintas mulai pukul 06.00 WITA.</p>',
        portalUrl: 'https://kaltimprov.go.id/berita/jembatan-mahakam-iv',
        targets: [xChannel, fbChannel],
        ...overrides,
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json();
    };

    test('a draft gets a variant per target network, adapted from the master, checked against each network', async () => {
      const post = await draft({ tags: ['infrastruktur kaltim'] });
      assert.equal(post.status, 'draft');
      assert.equal(post.version, 1);
      assert.deepEqual(post.variants.map((v: { network: string }) => v.network).sort(), ['facebook', 'x']);
      const x = post.variants.find((v: { network: string }) => v.network === 'x');
      assert.match(x.text, /utm_source=x/);
      assert.equal(x.customized, false);
      assert.ok(post.checks.every((c: { ok: boolean }) => c.ok));
      assert.deepEqual(post.actions, ['edit', 'submit', 'reschedule', 'cancel']);
      // A viewer sees the post but may do nothing with it.
      const seen = await viewer.client.get(`/api/v1/posts/${post.id}`);
      assert.equal(seen.statusCode, 200);
      assert.deepEqual(seen.json().actions, []);
    });

    test('a long master becomes a thread on X and stays one post on Facebook; a channel’s own limit is used', async () => {
      const post = await draft({ bodyHtml: `<p>${LONG_BODY}</p>`, targets: [xChannel, fbChannel, mastodonChannel] });
      const byNetwork = Object.fromEntries(post.variants.map((v: { network: string }) => [v.network, v]));
      assert.ok(byNetwork.x.parts.length > 1, 'X variant is a thread');
      assert.equal(byNetwork.x.thread, true);
      assert.deepEqual(byNetwork.facebook.parts, []);
      assert.ok(post.checks.every((c: { ok: boolean }) => c.ok), JSON.stringify(post.checks.filter((c: { ok: boolean }) => !c.ok)));
      const mastodon = post.checks.find((c: { network: string }) => c.network === 'mastodon');
      assert.equal(mastodon.channelId, mastodonChannel);
      assert.equal(mastodon.counters[0].limit, 1000);
    });

    test('a rule error blocks submission with 422 naming the network and rule; fixing it lets the post through', async () => {
      const post = await draft();
      const over = 'a'.repeat(281);
      const edited = await editor.client.patch(`/api/v1/posts/${post.id}`, { version: post.version, variants: [{ network: 'x', text: over }, { network: 'facebook' }] });
      assert.equal(edited.statusCode, 200, edited.body);
      const x = edited.json().checks.find((c: { network: string }) => c.network === 'x');
      assert.equal(x.ok, false);
      assert.equal(x.issues[0].rule, 'text.too_long');
      assert.equal(x.issues[0].measured, 281);
      assert.equal(x.issues[0].limit, 280);
      const refused = await editor.client.post(`/api/v1/posts/${post.id}/submit`);
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'post.rules_failed');
      assert.equal(refused.json().error.details.checks[0].network, 'x');
      const stillDraft = await editor.client.get(`/api/v1/posts/${post.id}`);
      assert.equal(stillDraft.json().status, 'draft');
      // Back to following the master fixes it.
      const fixed = await editor.client.patch(`/api/v1/posts/${post.id}`, { version: stillDraft.json().version, variants: [{ network: 'x', customized: false }, { network: 'facebook' }] });
      assert.equal(fixed.json().variants.find((v: { network: string }) => v.network === 'x').customized, false);
      const submitted = await editor.client.post(`/api/v1/posts/${post.id}/submit`);
      assert.equal(submitted.statusCode, 200, submitted.body);
      assert.equal(submitted.json().status, 'in_review');
    });

    test('one tier: the author cannot approve, a viewer cannot, an approver of the unit can; the author is notified', async () => {
      const author = await makePerson(server, agency, 'approver', 'Penulis Penyetuju');
      const post = await draft({}, author);
      assert.equal((await author.client.post(`/api/v1/posts/${post.id}/submit`)).statusCode, 200);
      const self = await author.client.post(`/api/v1/posts/${post.id}/approve`);
      assert.equal(self.statusCode, 403);
      assert.equal(self.json().error.code, 'post.self_approval');
      assert.equal((await viewer.client.post(`/api/v1/posts/${post.id}/approve`)).json().error.code, 'post.not_your_tier');
      const inbox = await approver.client.get('/api/v1/approvals/inbox');
      assert.ok(inbox.json().items.some((i: { id: string }) => i.id === post.id));
      const approved = await approver.client.post(`/api/v1/posts/${post.id}/approve`, { note: 'Sudah sesuai.' });
      assert.equal(approved.statusCode, 200);
      assert.equal(approved.json().status, 'approved');
      assert.equal(approved.json().approval.decisions[0].approver.name, 'Sari Penyetuju');
      const notes = await author.client.get('/api/v1/notifications');
      assert.ok(notes.json().items.some((n: { kind: string; postId: string }) => n.kind === 'approved' && n.postId === post.id));
    });

    test('three tiers go agency → regency → province; each tier needs its own approver; changes requested sends it back', async () => {
      const policy = await admin.client.put(`/api/v1/units/${agency}/approval-policy`, { tierUnitIds: [agency, regency, province] });
      assert.equal(policy.statusCode, 200, policy.body);
      // A tier must name the unit or one above it.
      const sibling = await makeUnit(server, regency, 'agency', 'Dinas Lain');
      const bad = await admin.client.put(`/api/v1/units/${agency}/approval-policy`, { tierUnitIds: [sibling] });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.details.issues[0].path, 'tierUnitIds.0');
      try {
        const post = await draft();
        await editor.client.post(`/api/v1/posts/${post.id}/submit`);
        // The province approver cannot take tier 1 out of turn.
        assert.equal((await provinceApprover.client.post(`/api/v1/posts/${post.id}/approve`)).statusCode, 200, 'province approver is above the agency: may take tier 1');
        let state = (await editor.client.get(`/api/v1/posts/${post.id}`)).json();
        assert.equal(state.status, 'in_review');
        assert.equal(state.approval.currentTier, 2);
        // One person approves at most one tier per round.
        const again = await provinceApprover.client.post(`/api/v1/posts/${post.id}/approve`);
        assert.equal(again.json().error.code, 'post.already_decided');
        // The agency approver has no say over the regency tier.
        assert.equal((await approver.client.post(`/api/v1/posts/${post.id}/approve`)).json().error.code, 'post.not_your_tier');
        const regencyApprover = await makePerson(server, regency, 'approver', 'Penyetuju Kabupaten');
        const changes = await regencyApprover.client.post(`/api/v1/posts/${post.id}/request-changes`, { note: 'Tambahkan jam operasional.' });
        assert.equal(changes.statusCode, 200);
        assert.equal(changes.json().status, 'changes_requested');
        const missingNote = await regencyApprover.client.post(`/api/v1/posts/${post.id}/request-changes`, {});
        assert.equal(missingNote.statusCode, 400);
        // Resubmitted: a new round starts from tier 1.
        await editor.client.post(`/api/v1/posts/${post.id}/submit`);
        assert.equal((await approver.client.post(`/api/v1/posts/${post.id}/approve`)).statusCode, 200);
        assert.equal((await regencyApprover.client.post(`/api/v1/posts/${post.id}/approve`)).statusCode, 200);
        state = (await provinceApprover.client.post(`/api/v1/posts/${post.id}/approve`)).json();
        assert.equal(state.status, 'approved');
        assert.equal(state.approval.round, 2);
        assert.equal(state.approval.decisions.filter((d: { round: number; decision: string }) => d.round === 2 && d.decision === 'approved').length, 3);
      } finally {
        await admin.client.put(`/api/v1/units/${agency}/approval-policy`, { tierUnitIds: [agency] });
      }
    });

    test('zero tiers: submission approves, and a chosen time schedules it at once', async () => {
      const unit = await makeUnit(server, regency, 'agency', 'Dinas Tanpa Persetujuan');
      const unitAdmin = await makePerson(server, unit, 'admin');
      assert.equal((await unitAdmin.client.put(`/api/v1/units/${unit}/approval-policy`, { tierUnitIds: [] })).statusCode, 200);
      const post = (await unitAdmin.client.post('/api/v1/posts', { unitId: unit, title: 'Pengumuman libur', variants: [{ network: 'facebook' }], scheduledAt: `${nextYear}-01-02T08:00` })).json();
      const submitted = await unitAdmin.client.post(`/api/v1/posts/${post.id}/submit`);
      assert.equal(submitted.json().status, 'scheduled');
    });

    test('scheduling is in the unit’s zone, never in the past; the calendar shows it with the zone name', async () => {
      const post = await draft();
      await editor.client.post(`/api/v1/posts/${post.id}/submit`);
      await approver.client.post(`/api/v1/posts/${post.id}/approve`);
      const past = await editor.client.post(`/api/v1/posts/${post.id}/schedule`, { scheduledAt: '2020-01-01T09:00' });
      assert.equal(past.statusCode, 400);
      assert.equal(past.json().error.code, 'post.schedule_in_past');
      const scheduled = await editor.client.post(`/api/v1/posts/${post.id}/schedule`, { scheduledAt: `${nextYear}-03-10T09:00` });
      assert.equal(scheduled.statusCode, 200, scheduled.body);
      assert.deepEqual(scheduled.json().post.scheduled, { utc: `${nextYear}-03-10T01:00:00.000Z`, local: `${nextYear}-03-10T09:00`, timeZone: 'Asia/Makassar', zoneName: 'WITA' });
      assert.equal(scheduled.json().post.status, 'scheduled');
      const calendar = await viewer.client.get(`/api/v1/calendar?from=${nextYear}-03-01&to=${nextYear}-04-01`);
      const item = calendar.json().items.find((i: { id: string }) => i.id === post.id);
      assert.equal(item.scheduled.local, `${nextYear}-03-10T09:00`);
      assert.deepEqual(item.networks, ['facebook', 'x']);
      // Filters: another network or rubric hides it.
      assert.ok(!(await viewer.client.get(`/api/v1/calendar?from=${nextYear}-03-01&to=${nextYear}-04-01&network=tiktok`)).json().items.some((i: { id: string }) => i.id === post.id));
      assert.ok((await viewer.client.get(`/api/v1/calendar?from=${nextYear}-03-01&to=${nextYear}-04-01&status=scheduled,approved`)).json().items.some((i: { id: string }) => i.id === post.id));
      // Dragging to another day keeps it scheduled; dragging into the past is refused.
      const moved = await editor.client.post(`/api/v1/posts/${post.id}/reschedule`, { scheduledAt: `${nextYear}-03-12T10:30` });
      assert.equal(moved.json().post.scheduled.local, `${nextYear}-03-12T10:30`);
      assert.equal(moved.json().post.status, 'scheduled');
      assert.equal((await editor.client.post(`/api/v1/posts/${post.id}/reschedule`, { scheduledAt: '2021-03-12T10:30' })).statusCode, 400);
      // Bad calendar queries name the field.
      const bad = await viewer.client.get(`/api/v1/calendar?from=${nextYear}-03-01&to=${nextYear}-09-01`);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.details.issues[0].path, 'to');
    });

    test('crowding: more than the unit’s limit per hour on one account warns', async () => {
      const hour = `${nextYear}-05-05T10`;
      for (let i = 0; i < 4; i += 1) await draft({ scheduledAt: `${hour}:${String(i * 10).padStart(2, '0')}`, targets: [xChannel] });
      const calendar = (await editor.client.get(`/api/v1/calendar?from=${nextYear}-05-05&to=${nextYear}-05-06`)).json();
      const warning = calendar.crowding.find((w: { channelId: string }) => w.channelId === xChannel);
      assert.ok(warning, JSON.stringify(calendar.crowding));
      assert.equal(warning.count, 4);
      assert.equal(warning.limit, 3);
      assert.equal(warning.postIds.length, 4);
    });

    test('an edit after approval sends the post back to review in a new round', async () => {
      const post = await draft();
      await editor.client.post(`/api/v1/posts/${post.id}/submit`);
      const approved = (await approver.client.post(`/api/v1/posts/${post.id}/approve`)).json();
      const edited = await editor2.client.patch(`/api/v1/posts/${post.id}`, { version: approved.version, title: 'Jembatan Mahakam IV dibuka (diperbarui)' });
      assert.equal(edited.json().status, 'in_review');
      assert.equal(edited.json().approval.round, 2);
      assert.equal(edited.json().approval.approvedTiers, 0);
      // Saving the same content again changes nothing.
      const same = await editor2.client.patch(`/api/v1/posts/${post.id}`, { version: edited.json().version, title: 'Jembatan Mahakam IV dibuka (diperbarui)' });
      assert.equal(same.json().version, edited.json().version);
    });

    test('two editors: the second save on an old version gets 409 with the newer post, and nothing is overwritten', async () => {
      const post = await draft();
      const first = await editor.client.patch(`/api/v1/posts/${post.id}`, { version: 1, title: 'Versi Rina' });
      assert.equal(first.statusCode, 200);
      const second = await editor2.client.patch(`/api/v1/posts/${post.id}`, { version: 1, title: 'Versi Budi' });
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().error.code, 'post.version_conflict');
      assert.equal(second.json().error.details.current.title, 'Versi Rina');
      assert.equal(second.json().error.details.currentVersion, 2);
      assert.equal((await editor.client.get(`/api/v1/posts/${post.id}`)).json().title, 'Versi Rina');
      // An action on a stale version is refused the same way.
      assert.equal((await editor2.client.post(`/api/v1/posts/${post.id}/submit`, { version: 1 })).statusCode, 409);
    });

    test('illegal transitions answer 409 saying what is allowed', async () => {
      const post = await draft();
      const response = await editor.client.post(`/api/v1/posts/${post.id}/unschedule`);
      assert.equal(response.statusCode, 409);
      assert.equal(response.json().error.code, 'post.illegal_transition');
      assert.deepEqual(response.json().error.details.allowed, ['edit', 'submit', 'reschedule', 'cancel', 'publish_now']);
      assert.match(response.json().error.message, /submit/);
      const cancelled = await editor.client.post(`/api/v1/posts/${post.id}/cancel`);
      assert.equal(cancelled.json().status, 'cancelled');
      assert.equal((await editor.client.patch(`/api/v1/posts/${post.id}`, { version: cancelled.json().version, title: 'x' })).statusCode, 409);
      assert.equal((await editor.client.post(`/api/v1/posts/${post.id}/restore`)).json().status, 'draft');
    });

    test('serta-merta: the structure is required, one approval suffices, or a designated role publishes directly and is reviewed after', async () => {
      await admin.client.put(`/api/v1/units/${agency}/approval-policy`, { tierUnitIds: [agency, regency], sertaMertaDirectRole: 'approver' });
      try {
        const incomplete = await draft({ urgent: true, sertaMerta: { what: 'Banjir di Samarinda Utara', areas: '', actions: '', help: '', contact: '' } });
        const refused = await editor.client.post(`/api/v1/posts/${incomplete.id}/submit`);
        assert.equal(refused.statusCode, 400);
        assert.equal(refused.json().error.code, 'post.serta_merta_incomplete');
        assert.deepEqual(refused.json().error.details.issues.map((i: { path: string }) => i.path), ['sertaMerta.areas', 'sertaMerta.actions', 'sertaMerta.help', 'sertaMerta.contact']);
        const complete = {
          what: 'Banjir setinggi 50 cm di Samarinda Utara', areas: 'Kelurahan Sempaja, Lempake', actions: 'Matikan listrik, mengungsi ke posko',
          help: 'Posko BPBD di Kantor Camat Samarinda Utara', contact: 'BPBD Kaltim 112',
        };
        const urgent = await draft({ urgent: true, sertaMerta: complete, title: 'Banjir Samarinda Utara' });
        // An editor is not the designated role.
        assert.equal((await editor.client.post(`/api/v1/posts/${urgent.id}/publish-now`)).json().error.code, 'post.direct_publish_not_allowed');
        await editor.client.post(`/api/v1/posts/${urgent.id}/submit`);
        const inbox = (await approver.client.get('/api/v1/approvals/inbox')).json().items;
        assert.equal(inbox[0].urgent, true, 'serta-merta comes first in the inbox');
        const approved = await approver.client.post(`/api/v1/posts/${urgent.id}/approve`);
        assert.equal(approved.json().status, 'approved', 'one approval is enough for serta-merta despite two tiers');

        const direct = await draft({ urgent: true, sertaMerta: complete, title: 'Pemadaman listrik' }, approver);
        const published = await approver.client.post(`/api/v1/posts/${direct.id}/publish-now`);
        assert.equal(published.statusCode, 200, published.body);
        assert.equal(published.json().status, 'scheduled');
        assert.equal(published.json().needsPostReview, true);
        assert.equal((await approver.client.post(`/api/v1/posts/${direct.id}/review-after`)).json().error.code, 'post.self_approval');
        const reviewed = await provinceApprover.client.post(`/api/v1/posts/${direct.id}/review-after`, { note: 'Sudah diperiksa.' });
        assert.equal(reviewed.statusCode, 200, reviewed.body);
        assert.equal(reviewed.json().needsPostReview, false);
        const audit = await server.siar.services.db.selectFrom('audit_log').select('action').where('entity_id', '=', direct.id).orderBy('seq').execute();
        assert.deepEqual(audit.map((a) => a.action), ['post.create', 'post.publish_now', 'post.review_after']);
      } finally {
        await admin.client.put(`/api/v1/units/${agency}/approval-policy`, { tierUnitIds: [agency] });
      }
    });

    test('sensitive wording needs a second look before submission', async () => {
      const post = await draft({ bodyHtml: '<p>Katanya jembatan ini dibangun oleh antek asing.</p>' });
      assert.ok(post.hints.some((h: { severity: string }) => h.severity === 'second_look'));
      const refused = await editor.client.post(`/api/v1/posts/${post.id}/submit`);
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().error.code, 'post.needs_second_look');
      assert.equal((await editor.client.post(`/api/v1/posts/${post.id}/submit`, { acknowledgeSensitive: true })).json().status, 'in_review');
    });

    test('a unit’s own sensitive terms apply to its posts; only its admins may change them', async () => {
      const added = await admin.client.post('/api/v1/sensitive-terms', { unitId: agency, term: 'Tambang Ilegal', category: 'unverified' });
      assert.equal(added.statusCode, 201, added.body);
      assert.equal(added.json().term, 'tambang ilegal');
      assert.equal((await editor.client.post('/api/v1/sensitive-terms', { unitId: agency, term: 'lain', category: 'other' })).statusCode, 403);
      assert.equal((await admin.client.post('/api/v1/sensitive-terms', { term: 'global', category: 'other' })).statusCode, 403, 'terms for everywhere are for top admins');
      const listed = (await editor.client.get(`/api/v1/sensitive-terms?unitId=${agency}`)).json().items.map((t: { term: string }) => t.term);
      assert.ok(listed.includes('tambang ilegal') && listed.includes('hoaks'));
      const post = await draft({ bodyHtml: '<p>Aparat menertibkan TAMBANG ILEGAL di Kutai Kartanegara.</p>' });
      assert.ok(post.hints.some((h: { severity: string; excerpt?: string; measured?: string }) => h.severity === 'second_look' && JSON.stringify(h).toLowerCase().includes('tambang ilegal')), JSON.stringify(post.hints));
      assert.equal((await admin.client.delete(`/api/v1/sensitive-terms/${added.json().id}`)).statusCode, 204);
      const again = (await editor.client.get(`/api/v1/posts/${post.id}`)).json();
      assert.ok(!again.hints.some((h: { severity: string }) => h.severity === 'second_look'));
    });

    test('script in body, title, alt text and comments never comes back as markup', async () => {
      const post = await draft({
        title: '<img src=x onerror=alert(1)> Jembatan',
        bodyHtml: '<p onclick="alert(1)">Isi <a href="javascript:alert(1)">tautan</a><script>alert(2)</script><iframe src="https://evil.example"></iframe></p>',
        summary: '<svg onload=alert(3)>',
      });
      assert.equal(post.bodyHtml, '<p>Isi tautan</p>');
      assert.doesNotMatch(post.bodyText, /<|alert/);
      // Plain-text fields keep what was typed as text; every renderer escapes it.
      assert.equal(post.title, '<img src=x onerror=alert(1)> Jembatan');
      const comment = await editor.client.post(`/api/v1/posts/${post.id}/comments`, { body: '<script>alert(4)</script> cek' });
      assert.equal(comment.json().body, '<script>alert(4)</script> cek');
      const bidi = await editor.client.post(`/api/v1/posts/${post.id}/comments`, { body: 'cek \u202Efdp.exe' });
      assert.equal(bidi.json().body, 'cek fdp.exe', 'bidi overrides are removed');
    });

    test('comments mention people who can see the post and notify them; others are refused by field', async () => {
      const post = await draft();
      const people = (await viewer.client.get(`/api/v1/posts/${post.id}/people`)).json().items.map((p: { name: string }) => p.name);
      // The agency's people and those of the units above it; not the people of other units.
      for (const name of ['Sari Penyetuju', 'Ahmad Provinsi', 'Admin Kabupaten', 'Dewi Pembaca']) assert.ok(people.includes(name), name);
      const comment = await viewer.client.post(`/api/v1/posts/${post.id}/comments`, { body: '@Sari mohon dicek angka realisasinya.', mentions: [approver.id] });
      assert.equal(comment.statusCode, 201, comment.body);
      assert.deepEqual(comment.json().mentions, [{ id: approver.id, name: 'Sari Penyetuju' }]);
      const outsiderUnit = await makeUnit(server, province, 'regency', 'Kabupaten Luar');
      const outsider = await makePerson(server, outsiderUnit, 'editor', 'Orang Luar');
      assert.ok(!(await viewer.client.get(`/api/v1/posts/${post.id}/people`)).json().items.some((p: { name: string }) => p.name === 'Orang Luar'));
      const refused = await viewer.client.post(`/api/v1/posts/${post.id}/comments`, { body: 'cc', mentions: [outsider.id] });
      assert.equal(refused.statusCode, 400);
      assert.equal(refused.json().error.details.issues[0].path, 'mentions.0');
      assert.equal((await outsider.client.get(`/api/v1/posts/${post.id}`)).statusCode, 404);
      const notes = (await approver.client.get('/api/v1/notifications?unread=true')).json();
      assert.ok(notes.items.some((n: { kind: string; postId: string }) => n.kind === 'mentioned' && n.postId === post.id));
      await approver.client.post('/api/v1/notifications/read', {});
      assert.equal((await approver.client.get('/api/v1/notifications')).json().unread, 0);
    });

    test('every change is a version; two versions compare field by field with a word diff', async () => {
      const post = await draft();
      await editor.client.patch(`/api/v1/posts/${post.id}`, { version: 1, bodyHtml: '<p>Jembatan Mahakam IV resmi dibuka hari ini oleh Gubernur. Warga dapat melintas mulai pukul 06.00 WITA.</p>' });
      const versions = (await editor.client.get(`/api/v1/posts/${post.id}/versions`)).json().items;
      assert.deepEqual(versions.map((v: { version: number; action: string }) => [v.version, v.action]), [[2, 'edit'], [1, 'create']]);
      assert.equal(versions[0].author.name, 'Rina Penulis');
      const compared = (await editor.client.get(`/api/v1/posts/${post.id}/compare?from=1&to=2`)).json();
      const body = compared.changes.find((c: { field: string }) => c.field === 'bodyText');
      assert.deepEqual(body.diff.filter((d: { op: string }) => d.op === 'insert').map((d: { text: string }) => d.text.trim()), ['oleh Gubernur']);
      assert.ok(compared.changes.some((c: { field: string }) => c.field === 'variants.x.text'));
      assert.equal((await editor.client.get(`/api/v1/posts/${post.id}/versions/9`)).statusCode, 404);
    });

    test('media: a PNG goes to Instagram as its JPEG rendition; alt text is required; media in use cannot be deleted', async () => {
      const instagram = (await admin.client.post('/api/v1/channels', { unitId: agency, network: 'instagram', name: 'Dinas Alur', handle: '@dinasalur.ig' })).json().id;
      const png = await photo(1200, 1200).png().toBuffer();
      const { payload, contentType } = multipartBody({ unitId: agency, alt: 'Peresmian jembatan' }, { name: 'jembatan.png', data: png, contentType: 'image/png' });
      const uploaded = await server.app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${editor.client.token}`, 'content-type': contentType }, payload });
      assert.equal(uploaded.statusCode, 201, uploaded.body);
      const media = uploaded.json();
      assert.equal(media.mime, 'image/png');
      const missingAlt = await editor.client.post('/api/v1/posts', { unitId: agency, title: 'Foto', targets: [instagram], media: [{ mediaId: media.id, alt: '  ' }] });
      assert.equal(missingAlt.statusCode, 400);
      assert.equal(missingAlt.json().error.details.issues[0].path, 'media.0.alt');
      const post = await draft({ targets: [instagram, fbChannel], media: [{ mediaId: media.id, alt: 'Gubernur meresmikan Jembatan Mahakam IV' }] });
      assert.equal(post.media[0].alt, 'Gubernur meresmikan Jembatan Mahakam IV');
      assert.match(post.media[0].url, /^\/media\/files\/.+\.png$/);
      const ig = post.checks.find((c: { network: string }) => c.network === 'instagram');
      assert.equal(ig.ok, true, JSON.stringify(ig.issues));
      assert.equal(post.variants.find((v: { network: string }) => v.network === 'instagram').mediaIds[0], media.id);
      assert.equal((await editor.client.delete(`/api/v1/media/${media.id}`)).json().error.code, 'media.in_use');
      // Without media, Instagram refuses: the post cannot be submitted.
      const without = await editor.client.patch(`/api/v1/posts/${post.id}`, { version: post.version, media: [] });
      assert.equal(without.json().checks.find((c: { network: string }) => c.network === 'instagram').ok, false);
      assert.equal((await editor.client.post(`/api/v1/posts/${post.id}/submit`)).json().error.code, 'post.rules_failed');
    });

    test('bad input names the field and writes nothing', async () => {
      const before = await server.siar.services.db.selectFrom('posts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      const cases: [Record<string, unknown>, string][] = [
        [{ title: '' }, 'title'],
        [{ targets: ['00000000-0000-4000-8000-000000000000'] }, 'targets.0'],
        [{ scheduledAt: 'besok pagi' }, 'scheduledAt'],
        [{ scheduledAt: '2019-05-01T09:00' }, 'scheduledAt'],
        [{ portalUrl: 'javascript:alert(1)' }, 'portalUrl'],
        [{ media: [{ mediaId: '00000000-0000-4000-8000-000000000000', alt: 'foto' }] }, 'media.0.mediaId'],
        [{ rubricId: '00000000-0000-4000-8000-000000000000' }, 'rubricId'],
        [{ variants: [{ network: 'friendster' }] }, 'variants.0.network'],
      ];
      for (const [overrides, field] of cases) {
        const response = await editor.client.post('/api/v1/posts', { unitId: agency, title: 'Judul', targets: [xChannel], ...overrides });
        assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
        assert.equal(response.json().error.details.issues[0].path, field, response.body);
      }
      const afterCount = await server.siar.services.db.selectFrom('posts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
      assert.equal(afterCount.n, before.n);
    });
  });
}
