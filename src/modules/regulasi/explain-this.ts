/**
 * "Explain this": a regulation's explanation turned into a draft post of its unit, ready for the
 * normal review. The title names the regulation, the summary is its purpose, the body its
 * explanation sections (sanitized by createPost like any body), the pictures the explainer
 * carousel (one 1080×1350 slide per question, uploaded to the unit's media library with alt text
 * written from the same data), rubric `regulasi` when it exists, linked to the regulation (so the
 * explanation rule applies to it), and targets the unit's connected channels (of the unit or a
 * unit above it) the person may post to, each network's variant adapted from the master with as
 * many slides as the network takes. Nothing is approved here: it is a draft like any other.
 */
import type { Kysely } from 'kysely';
import type { DB, NetworkId } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { canUseChannel } from '../access/policies.ts';
import { renderRegulasiSlides } from '../infographics/index.ts';
import type { MediaStorage } from '../media/storage.ts';
import { uploadMedia } from '../media/upload-media.ts';
import { limitsFor } from '../networks/limits.ts';
import { escapeHtml } from '../portal/render/html.ts';
import { startOfWitaDay, longDate } from '../portal/time.ts';
import { createPost, type Caller, type SaveOptions } from '../posts/save-post.ts';
import { createPostBody } from '../posts/schemas.ts';
import type { PostAggregate } from '../posts/queries.ts';
import { unitPath, unitPaths } from '../units/queries.ts';
import { missingExplanation, regulationName } from './explanation.ts';
import { linkPost } from './link-posts.ts';
import { regulationById, type RegulationRecord } from './queries.ts';
import { explanationFieldNames, typeLongNames, typeNames } from './schemas.ts';

const TITLE_MAX = 300;
const SUMMARY_MAX = 2000;

/** At most `max` characters, cut at a word with "…" when cut. */
function clipWords(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const room = flat.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  return `${(space > max * 0.6 ? room.slice(0, space) : room).replace(/[\s,.;:]+$/, '')}…`;
}

const day = (value: string | null): string | null => {
  const start = value ? startOfWitaDay(value) : undefined;
  return start ? longDate(start) : null;
};

/** "Penjelasan Pergub 12/2025: Pengurangan Sampah Plastik". */
export function explainerTitle(r: Pick<RegulationRecord, 'type' | 'number' | 'year' | 'title'>): string {
  return clipWords(`Penjelasan ${typeNames[r.type]} ${r.number}/${r.year}: ${r.title}`, TITLE_MAX);
}

/** What the regulation is, in one plain sentence (the carousel's first slide). */
export function explainerSummary(r: Pick<RegulationRecord, 'type' | 'title' | 'enacted_on' | 'in_force_on'>): string {
  const enacted = day(r.enacted_on);
  const inForce = day(r.in_force_on);
  const dates = [enacted ? `ditetapkan ${enacted}` : null, inForce ? `berlaku mulai ${inForce}` : null].filter((d) => d !== null);
  return `${typeLongNames[r.type]} tentang ${r.title.trim()}${dates.length > 0 ? `, ${dates.join(' dan ')}` : ''}.`;
}

/** Plain text as paragraphs (or a list when every line is an item), escaped. */
function paragraphs(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const item = /^(?:[-•*]|\d+[.)])\s+/;
  if (lines.length > 1 && lines.every((l) => item.test(l))) return `<ul>${lines.map((l) => `<li>${escapeHtml(l.replace(item, ''))}</li>`).join('')}</ul>`;
  return lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
}

/** The post's body: the explanation sections, the FAQ, and where to read more. */
export function explainerBody(r: RegulationRecord, links: { portalPage?: string | undefined }): string {
  const sections: [string, string][] = [
    ['Tujuan', r.purpose], ['Alasan', r.reasons], ['Siapa yang terdampak', r.affected], ['Apa yang berubah', r.changes], ['Mulai kapan', r.starts],
  ];
  const out = [`<p>${escapeHtml(explainerSummary(r))}</p>`];
  for (const [heading, text] of sections) if (text.trim() !== '') out.push(`<h2>${escapeHtml(heading)}</h2>${paragraphs(text)}`);
  const faq = r.faq.filter((f) => f.question.trim() !== '' && f.answer.trim() !== '');
  if (faq.length > 0) out.push(`<h2>Tanya jawab</h2>${faq.map((f) => `<h3>${escapeHtml(f.question)}</h3>${paragraphs(f.answer)}`).join('')}`);
  const more: string[] = [];
  if (links.portalPage) more.push(`Penjelasan lengkap: <a href="${escapeHtml(links.portalPage)}">${escapeHtml(links.portalPage)}</a>`);
  if (r.jdih_url) more.push(`Dokumen resmi ${escapeHtml(regulationName(r))} di JDIH: <a href="${escapeHtml(r.jdih_url)}">${escapeHtml(r.jdih_url)}</a>`);
  if (more.length > 0) out.push(more.map((m) => `<p>${m}</p>`).join(''));
  return out.join('\n');
}

/** Whether a network can carry the carousel's PNG slides (Instagram through its JPEG rendition). */
function carriesSlides(network: NetworkId): boolean {
  if (network === 'instagram') return true;
  return limitsFor(network).mimes.image.includes('image/png');
}

/** How many slides a network's post takes. */
function slidesFor(network: NetworkId, count: number): number {
  const limits = limitsFor(network);
  return Math.min(count, limits.maxMedia ?? Infinity, limits.maxImages ?? Infinity);
}

export interface ExplainOptions {
  db: Kysely<DB>;
  storage: MediaStorage;
  regulationId: string;
  caller: Caller;
  save: SaveOptions;
  /** The name on every slide (the portal's site name). */
  siteName: string;
  /** The regulation's page on the portal, for the body's "read more". */
  portalPageOf?: ((slug: string) => string) | undefined;
}

export interface SkippedChannel {
  id: string;
  name: string;
  network: NetworkId;
  reason: 'no_images';
}

export interface ExplainResult {
  post: PostAggregate;
  images: { mediaId: string; alt: string; width: number; height: number }[];
  channels: { id: string; name: string; network: NetworkId }[];
  skipped: SkippedChannel[];
}

/** Throws `regulation.explanation_missing` naming the empty required fields. */
export function assertExplained(r: RegulationRecord): void {
  const missing = missingExplanation(r);
  if (missing.length === 0) return;
  const names = (lang: 'id' | 'en') => missing.map((f) => explanationFieldNames[f]![lang]).join(lang === 'id' ? ' dan ' : ' and ');
  throw new AppError('regulation.explanation_missing', {
    params: { regulation: regulationName(r), fields: names('id'), fieldsEn: names('en') },
    details: {
      missing,
      issues: missing.map((field) => ({ path: field, message: `${explanationFieldNames[field]!.id} wajib diisi (${explanationFieldNames[field]!.en} is required)` })),
    },
  });
}

/** The channels of the unit or above it that are connected and that the person may post to. */
async function usableChannels(db: Kysely<DB>, caller: Caller, path: readonly string[]) {
  const rows = await db.selectFrom('channels').select(['id', 'unit_id', 'name', 'network'])
    .where('unit_id', 'in', [...path]).where('connection', '=', 'connected').where('disabled', '=', false)
    .orderBy('network').orderBy('name').execute();
  const paths = await unitPaths(db, [...new Set(rows.map((c) => c.unit_id))]);
  return rows.filter((c) => canUseChannel(caller.actor, paths.get(c.unit_id) ?? []));
}

export async function explainRegulation(options: ExplainOptions): Promise<ExplainResult> {
  const { db, caller } = options;
  const regulation = await regulationById(db, options.regulationId);
  if (!regulation) throw new AppError('not_found');
  assertExplained(regulation);
  const path = await unitPath(db, regulation.unit_id);

  const slides = await renderRegulasiSlides({
    typeName: typeNames[regulation.type],
    number: regulation.number,
    year: regulation.year,
    title: regulation.title,
    summary: explainerSummary(regulation),
    purpose: regulation.purpose,
    reasons: regulation.reasons,
    affected: regulation.affected,
    effectiveDate: regulation.in_force_on,
    changes: regulation.changes,
    faq: regulation.faq,
    siteName: options.siteName,
  });
  const images: ExplainResult['images'] = [];
  for (const [i, slide] of slides.entries()) {
    const { media } = await uploadMedia({
      db, storage: options.storage, unitId: regulation.unit_id, uploader: caller.origin,
      originalName: `${regulation.slug.slice(0, 120)}-${i + 1}.png`, data: slide.png, alt: slide.alt,
    });
    images.push({ mediaId: media.id, alt: slide.alt, width: media.width ?? slide.width, height: media.height ?? slide.height });
  }

  const channels = await usableChannels(db, caller, path);
  const carried = channels.filter((c) => carriesSlides(c.network));
  const skipped = channels.filter((c) => !carriesSlides(c.network)).map((c) => ({ id: c.id, name: c.name, network: c.network, reason: 'no_images' as const }));
  const networks = [...new Set(carried.map((c) => c.network))];
  const rubric = await db.selectFrom('rubrics').select('id').where('slug', '=', 'regulasi').where('archived', '=', false).executeTakeFirst();

  const input = createPostBody.parse({
    unitId: regulation.unit_id,
    title: explainerTitle(regulation),
    summary: clipWords(regulation.purpose, SUMMARY_MAX),
    bodyHtml: explainerBody(regulation, { portalPage: options.portalPageOf?.(regulation.slug) }),
    ...(rubric ? { rubricId: rubric.id } : {}),
    tags: ['regulasi'],
    language: 'id',
    media: images.map((m) => ({ mediaId: m.mediaId, alt: m.alt })),
    // Each network gets the master adapted, with as many slides as it takes (X and Bluesky: 4).
    variants: networks.map((network) => ({ network, mediaIds: images.slice(0, slidesFor(network, images.length)).map((m) => m.mediaId) })),
    targets: carried.slice(0, 50).map((c) => c.id),
  });
  const post = await createPost(db, input, caller, options.save);
  await linkPost(db, { regulationId: regulation.id, postId: post.post.id, unitId: regulation.unit_id, actor: caller.origin });
  return { post, images, channels: carried.map((c) => ({ id: c.id, name: c.name, network: c.network })), skipped };
}
