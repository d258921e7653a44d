/** The public shape of a regulation and of the posts that explain it. */
import type { z } from 'zod';
import { missingExplanation, regulationName } from './explanation.ts';
import type { RegulationRecord, RelatedPost } from './queries.ts';
import type { regulationSchema, relatedPostSchema } from './schemas.ts';

export function presentRegulation(r: RegulationRecord, canEdit: boolean): z.infer<typeof regulationSchema> {
  return {
    id: r.id,
    slug: r.slug,
    unit: { id: r.unit_id, name: r.unit_name },
    type: r.type,
    name: regulationName(r),
    number: r.number,
    year: r.year,
    title: r.title,
    enactedOn: r.enacted_on,
    inForceOn: r.in_force_on,
    status: r.status,
    jdihUrl: r.jdih_url,
    purpose: r.purpose,
    reasons: r.reasons,
    affected: r.affected,
    changes: r.changes,
    starts: r.starts,
    faq: r.faq.map((f) => ({ question: f.question, answer: f.answer })),
    missing: missingExplanation(r),
    postCount: r.post_count,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    canEdit,
  };
}

export function presentRelatedPost(p: RelatedPost): z.infer<typeof relatedPostSchema> {
  return { id: p.id, title: p.title, status: p.status, unit: { id: p.unit_id, name: p.unit_name }, linkedAt: p.linked_at.toISOString() };
}
