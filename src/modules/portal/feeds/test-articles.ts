/**
 * Live articles for the portal's tests: a post written and submitted through the API (the unit
 * has no approval tiers, so it is scheduled at once and its article written by the workflow), then
 * its article's time moved into the past, as if it had gone live then.
 */
import assert from 'node:assert/strict';
import type { Person } from '../../../../test/people.ts';
import type { TestServer } from '../../../../test/server.ts';
import { multipartBody, photo } from '../../media/test-fixtures.ts';

const nextYear = new Date().getUTCFullYear() + 1;

/** Lets the unit's approvers publish without review tiers, so a submitted post is scheduled at once. */
export async function withoutReview(admin: Person, unitId: string): Promise<void> {
  const response = await admin.client.put(`/api/v1/units/${unitId}/approval-policy`, { tierUnitIds: [], sertaMertaDirectRole: 'admin' });
  assert.equal(response.statusCode, 200, response.body);
}

export interface ArticleInput {
  unitId: string;
  title: string;
  summary?: string;
  bodyHtml?: string;
  rubricId?: string | null;
  tags?: string[];
  media?: { mediaId: string; alt: string }[];
  /** When it went live (default: a minute ago). */
  publishedAt?: Date;
}

export async function liveArticle(server: TestServer, author: Person, input: ArticleInput): Promise<{ postId: string; slug: string }> {
  const created = await author.client.post('/api/v1/posts', {
    unitId: input.unitId,
    title: input.title,
    summary: input.summary ?? '',
    bodyHtml: input.bodyHtml ?? `<p>${input.title}.</p>`,
    rubricId: input.rubricId ?? null,
    tags: input.tags ?? [],
    media: input.media ?? [],
    variants: [{ network: 'facebook' }],
    scheduledAt: `${nextYear}-06-01T09:00`,
  });
  assert.equal(created.statusCode, 201, created.body);
  const submitted = await author.client.post(`/api/v1/posts/${created.json().id}/submit`);
  assert.equal(submitted.json().status, 'scheduled', submitted.body);
  const db = server.siar.services.db;
  const row = await db.updateTable('articles').set({ published_at: input.publishedAt ?? new Date(Date.now() - 60_000) })
    .where('post_id', '=', created.json().id).returning(['post_id', 'slug']).executeTakeFirstOrThrow();
  return { postId: row.post_id, slug: row.slug };
}

/** A photo in the unit's media library. */
export async function uploadPhoto(server: TestServer, author: Person, unitId: string, alt: string): Promise<{ id: string; bytes: number; mime: string }> {
  const png = await photo(900, 600).png().toBuffer();
  const { payload, contentType } = multipartBody({ unitId, alt }, { name: 'foto.png', data: png, contentType: 'image/png' });
  const uploaded = await server.app.inject({ method: 'POST', url: '/api/v1/media', headers: { authorization: `Bearer ${author.client.token}`, 'content-type': contentType }, payload });
  assert.equal(uploaded.statusCode, 201, uploaded.body);
  return uploaded.json();
}

/** A rubric (top administrators add them). */
export async function makeRubric(topAdmin: Person, name: string): Promise<{ id: string; slug: string; name: string }> {
  const response = await topAdmin.client.post('/api/v1/rubrics', { name });
  assert.equal(response.statusCode, 201, response.body);
  return response.json();
}
