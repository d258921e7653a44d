/**
 * The rule behind every regulation post: citizens are told what a regulation is for and why it was
 * made. A post linked to a regulation cannot go to review (or out) while that regulation's purpose
 * or reasons are empty.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { regulationsOfPost } from './queries.ts';
import { explanationFieldNames, requiredExplanation, typeNames } from './schemas.ts';

/** The required explanation fields still empty. */
export function missingExplanation(regulation: Record<(typeof requiredExplanation)[number], string>): string[] {
  return requiredExplanation.filter((field) => (regulation[field] ?? '').trim() === '');
}

/** "Pergub Nomor 5 Tahun 2025". */
export function regulationName(regulation: { type: keyof typeof typeNames; number: string; year: number }): string {
  return `${typeNames[regulation.type]} Nomor ${regulation.number} Tahun ${regulation.year}`;
}

/** Throws `regulation.explanation_incomplete` naming the regulation and the missing fields. */
export async function assertRegulationsExplained(db: Kysely<DB>, postId: string): Promise<void> {
  const incomplete = (await regulationsOfPost(db, postId))
    .map((r) => ({ regulation: r, missing: missingExplanation(r) }))
    .filter((x) => x.missing.length > 0);
  const first = incomplete[0];
  if (!first) return;
  const fields = [...new Set(incomplete.flatMap((x) => x.missing))];
  const names = (lang: 'id' | 'en') => fields.map((f) => explanationFieldNames[f]![lang]).join(lang === 'id' ? ' dan ' : ' and ');
  throw new AppError('regulation.explanation_incomplete', {
    params: {
      regulation: incomplete.map((x) => regulationName(x.regulation)).join(', '),
      fields: names('id'),
      fieldsEn: names('en'),
    },
    details: {
      regulations: incomplete.map((x) => ({ id: x.regulation.id, slug: x.regulation.slug, name: regulationName(x.regulation), title: x.regulation.title, missing: x.missing })),
      issues: incomplete.flatMap((x) => x.missing.map((field) => ({
        path: `regulations.${x.regulation.id}.${field}`,
        message: `${explanationFieldNames[field]!.id} wajib diisi (${explanationFieldNames[field]!.en} is required)`,
      }))),
    },
  });
}
