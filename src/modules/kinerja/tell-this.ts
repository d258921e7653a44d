/**
 * "Ceritakan" (tell this): one indicator's result becomes a draft post in its unit, ready for the
 * normal review. The draft carries:
 * - title: the indicator, the unit and the year; summary: the plain sentence of the result
 *   ("Realisasi 92% dari target: …", worded right for lower-is-better, or why capaian cannot be
 *   computed); body: the figures, the goal, the source and a link to the portal's kinerja page;
 * - rubric `kinerja` when the portal has it, tag `kinerja`;
 * - pictures: the performance card (infographics/renderKinerjaCard) drawn in portrait 1080×1350
 *   (Instagram, Facebook, Threads, LinkedIn, Telegram, Mastodon, Bluesky) and landscape 1200×675
 *   (X), both attached with alt text from altForKinerja; each network's variant picks its size
 *   through the variant's `mediaIds`. The story size 1080×1920 is drawn and kept in the unit's
 *   media library (its id in the answer) but not attached: posts here go to feeds, and a story is
 *   posted by hand;
 * - targets: the connected, enabled accounts of the unit or a unit above it that the person may
 *   use (editor there), except networks that take no picture post (YouTube and TikTok need video);
 *   their variants are adapted from the master by createPost.
 * It is a draft: nothing is submitted, approved or scheduled here.
 */
import type { Kysely } from 'kysely';
import type { DB, NetworkId } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';
import { canUseChannel, canWritePost } from '../access/policies.ts';
import { escapeHtml } from '../portal/render/html.ts';
import { indicatorSentence, LOWER_IS_BETTER_NOTE, NOT_COMPUTABLE, amountText, capaianText, bandText } from '../portal/kinerja/sentences.ts';
import { portalSiteName } from '../portal/share/site.ts';
import { altForKinerja, renderKinerjaCard, type KinerjaCardData, type KinerjaCardSize } from '../infographics/index.ts';
import type { MediaStorage } from '../media/storage.ts';
import { uploadMedia } from '../media/upload-media.ts';
import type { PostAggregate } from '../posts/queries.ts';
import { createPost, type Caller } from '../posts/save-post.ts';
import { unitPath } from '../units/queries.ts';
import { canEditKinerja, canViewKinerja } from './policies.ts';
import { findIndicator, type IndicatorView } from './queries.ts';
import { settingsFor } from './settings.ts';

/** Networks that take a picture post; YouTube and TikTok need a video. */
const PICTURE_NETWORKS: readonly NetworkId[] = ['facebook', 'instagram', 'threads', 'x', 'linkedin', 'telegram', 'mastodon', 'bluesky', 'webhook'];
/** Networks whose feed shows the landscape card best; the rest get the portrait one. */
const LANDSCAPE_NETWORKS: readonly NetworkId[] = ['x'];

export interface TellContext {
  db: Kysely<DB>;
  storage: MediaStorage;
  /** The portal's base address (short links in variants, the link to the kinerja page in the body). */
  portalBase: string;
}

export interface TellResult {
  post: PostAggregate;
  media: Record<KinerjaCardSize, { id: string; width: number; height: number }>;
  targets: { channelId: string; network: NetworkId }[];
  /** Accounts of the unit left out, with why. */
  skipped: { channelId: string; network: NetworkId; reason: 'no_picture_posts' | 'not_allowed' }[];
}

export function cardData(indicator: IndicatorView, context: { goal: string | null; unitName: string; siteName: string }): KinerjaCardData {
  const c = indicator.capaian;
  return {
    indicator: indicator.name,
    goal: context.goal,
    unitName: context.unitName,
    period: `Tahun ${indicator.year}`,
    satuan: indicator.satuan,
    target: indicator.target,
    realisasi: indicator.realisasi,
    capaian: c.computable ? { computable: true, value: c.value, band: { key: c.band.key, label: c.band.label } } : { computable: false, reason: NOT_COMPUTABLE[c.reason] },
    polarity: indicator.polarity,
    source: indicator.dataSource,
    siteName: context.siteName,
  };
}

/** "Persentase penduduk miskin: capaian kinerja Dinas Sosial tahun 2025", at most 300 characters. */
export function tellTitle(indicator: IndicatorView, unitName: string): string {
  const tail = `: capaian kinerja ${unitName} tahun ${indicator.year}`;
  const room = 300 - tail.length;
  const name = indicator.name.length <= room ? indicator.name : `${indicator.name.slice(0, Math.max(1, room - 1)).replace(/\s+\S*$/, '')}…`;
  return `${name}${tail}`;
}

export function tellBody(indicator: IndicatorView, context: { goal: string | null; unitName: string; pageUrl: string }): string {
  const e = escapeHtml;
  const items = [
    context.goal ? `<li>Sasaran strategis: ${e(context.goal)}</li>` : '',
    `<li>Indikator: ${e(indicator.name)}</li>`,
    `<li>Target: ${e(amountText(indicator.target, indicator.satuan))}</li>`,
    `<li>Realisasi: ${e(amountText(indicator.realisasi, indicator.satuan))}</li>`,
    `<li>Capaian: ${e(capaianText(indicator.capaian))} (${e(bandText(indicator.capaian))})</li>`,
    indicator.polarity === 'lower' ? `<li>${e(LOWER_IS_BETTER_NOTE)}</li>` : '',
  ].filter((x) => x !== '');
  const source = indicator.dataSource ? `Sumber data: ${e(indicator.dataSource)}. ` : '';
  return `<p>${e(indicatorSentence(indicator))}</p>\n<ul>${items.join('')}</ul>\n` +
    `<p>${source}Data kinerja ${e(context.unitName)} tahun ${indicator.year}. Selengkapnya: <a href="${e(context.pageUrl)}">${e(context.pageUrl)}</a></p>`;
}

export async function tellIndicator(context: TellContext, indicatorId: string, caller: Caller): Promise<TellResult> {
  const { db } = context;
  const unitId = (await db.selectFrom('kinerja_indicators').select('unit_id').where('id', '=', indicatorId).executeTakeFirst())?.unit_id;
  const path = unitId ? await unitPath(db, unitId) : [];
  if (!unitId || path.length === 0 || !canViewKinerja(caller.actor, path)) throw new AppError('not_found');
  if (!canEditKinerja(caller.actor, path) || !canWritePost(caller.actor, path)) throw new AppError('forbidden');
  const indicator = await findIndicator(db, indicatorId, await settingsFor(db, path));
  if (!indicator) throw new AppError('not_found');

  const [unit, goal, siteName, rubric, channels] = await Promise.all([
    db.selectFrom('units').select(['name', 'slug']).where('id', '=', unitId).executeTakeFirstOrThrow(),
    db.selectFrom('kinerja_goals').select('name').where('id', '=', indicator.goalId).executeTakeFirst(),
    portalSiteName(db),
    db.selectFrom('rubrics').select('id').where('slug', '=', 'kinerja').where('archived', '=', false).executeTakeFirst(),
    db.selectFrom('channels').select(['id', 'unit_id', 'network']).where('unit_id', 'in', path).where('connection', '=', 'connected').where('disabled', '=', false).orderBy('created_at').execute(),
  ]);
  const data = cardData(indicator, { goal: goal?.name ?? null, unitName: unit.name, siteName });
  const alt = altForKinerja(data);

  const media = {} as TellResult['media'];
  for (const size of ['portrait', 'landscape', 'story'] as const) {
    const image = await renderKinerjaCard(data, size);
    const { media: row } = await uploadMedia({
      db, storage: context.storage, unitId, uploader: caller.origin, alt,
      originalName: `kinerja-${unit.slug}-${indicator.year}-${size}.png`, data: image.png,
    });
    media[size] = { id: row.id, width: row.width ?? image.width, height: row.height ?? image.height };
  }

  const targets: TellResult['targets'] = [];
  const skipped: TellResult['skipped'] = [];
  for (const channel of channels) {
    // A channel's unit is on the post's path; its own path is the rest of the path from there up.
    const channelPath = path.slice(path.indexOf(channel.unit_id));
    if (!PICTURE_NETWORKS.includes(channel.network)) skipped.push({ channelId: channel.id, network: channel.network, reason: 'no_picture_posts' });
    else if (!canUseChannel(caller.actor, channelPath)) skipped.push({ channelId: channel.id, network: channel.network, reason: 'not_allowed' });
    else targets.push({ channelId: channel.id, network: channel.network });
  }
  const networks = [...new Set(targets.map((t) => t.network))];
  const pageUrl = `${context.portalBase}/kinerja/${encodeURIComponent(unit.slug)}/${indicator.year}`;

  const post = await createPost(db, {
    unitId,
    title: tellTitle(indicator, unit.name),
    bodyHtml: tellBody(indicator, { goal: goal?.name ?? null, unitName: unit.name, pageUrl }),
    summary: indicatorSentence(indicator),
    rubricId: rubric?.id ?? null,
    tags: ['kinerja'],
    language: 'id',
    portalUrl: null,
    urgent: false,
    sertaMerta: null,
    media: [{ mediaId: media.portrait.id, alt }, { mediaId: media.landscape.id, alt }],
    variants: networks.map((network) => ({ network, mediaIds: [LANDSCAPE_NETWORKS.includes(network) ? media.landscape.id : media.portrait.id] })),
    targets: targets.map((t) => t.channelId),
    scheduledAt: null,
  }, caller, { portalBase: context.portalBase });
  return { post, media, targets, skipped };
}
