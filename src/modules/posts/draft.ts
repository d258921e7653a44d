/**
 * Turns what a person typed into the post Siar keeps: the master's plain text from its sanitized
 * HTML, each network's variant (adapted from the master unless the person wrote their own), and the
 * checks of every variant against its network's rules (with each target channel's own limits) plus
 * the advisory quality hints. Pure: the caller loads media, channels, rubric and terms.
 */
import type { NetworkId } from '../../db/schema.ts';
import { adaptVariant } from '../compose/adapt.ts';
import { qualityHints } from '../compose/hints.ts';
import type { LimitOverrides, MediaKind, Network } from '../networks/limits.ts';
import type { Issue, MediaItem, ValidationResult } from '../networks/types.ts';
import { validatePost } from '../networks/validate.ts';
import { shortLinkUrl } from '../portal/links/short-links.ts';

export interface AttachedMedia {
  id: string;
  alt: string;
  kind: MediaKind;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  /** Per-network renditions (Instagram's JPEG, say) as stored with the media. */
  renditions: Record<string, { mime?: string; bytes?: number; width?: number; height?: number } | undefined>;
}

export interface Master {
  title: string;
  bodyText: string;
  summary: string;
  portalUrl: string | null;
  tags: string[];
  rubricSlug: string | null;
  urgent: boolean;
  media: AttachedMedia[];
}

export interface VariantInput {
  network: NetworkId;
  text?: string | undefined;
  parts?: string[] | undefined;
  title?: string | null | undefined;
  mediaIds?: string[] | undefined;
  thread?: boolean | undefined;
  firstComment?: string | null | undefined;
  hashtags?: string[] | undefined;
  customized?: boolean | undefined;
}

export interface StoredVariant {
  network: NetworkId;
  text: string;
  parts: string[];
  title: string | null;
  mediaIds: string[];
  thread: boolean;
  firstComment: string | null;
  hashtags: string[];
  customized: boolean;
}

export interface ResolvedVariant extends StoredVariant {
  /** What auto-adapt did (shortened, split into a thread…), for the composer to show. */
  notes: { id: string; en: string }[];
}

export interface TargetChannel {
  id: string;
  network: NetworkId;
  limitOverrides: LimitOverrides;
}

export interface VariantCheck extends ValidationResult {
  /** The channel whose own limits were used; null for the network's defaults. */
  channelId: string | null;
  issues: (Issue & { part?: number })[];
}

/**
 * Where the portal's short links of a post point from: the portal's base address and the post's id
 * (known before the post is saved). Without it, a post with no portal link of its own gets none.
 */
export interface PortalLinks {
  base: string;
  postId: string;
}

/** The campaign name links are tagged with: the rubric, else "siar". */
const campaignOf = (master: Master): string => master.rubricSlug ?? 'siar';

function adaptMaster(master: Master) {
  return {
    title: master.title,
    bodyText: master.bodyText,
    summary: master.summary,
    portalUrl: master.portalUrl,
    tags: master.tags,
    rubricSlug: master.rubricSlug,
    media: master.media.map((m) => mediaItem(m)),
  };
}

function mediaItem(media: AttachedMedia, network?: Network): MediaItem {
  // A network-specific rendition (Instagram takes JPEG only) is what that network receives.
  const rendition = network ? media.renditions[network] : undefined;
  return {
    kind: media.kind,
    mime: rendition?.mime ?? media.mime,
    bytes: rendition?.bytes ?? media.bytes,
    width: rendition?.width ?? media.width ?? undefined,
    height: rendition?.height ?? media.height ?? undefined,
    alt: media.alt,
  };
}

/**
 * The variant for each network: the person's own text where they wrote one (and did not ask to
 * follow the master again), otherwise adapted from the master with the options they chose. A post
 * without a portal link of its own links to its article through the portal's short link for that
 * network (`links`).
 */
export function resolveVariants(
  master: Master,
  networks: readonly NetworkId[],
  inputs: readonly VariantInput[],
  existing: readonly StoredVariant[],
  overridesByNetwork: Partial<Record<NetworkId, LimitOverrides>> = {},
  links?: PortalLinks,
): ResolvedVariant[] {
  const attached = new Set(master.media.map((m) => m.id));
  return networks.map((network) => {
    const input = inputs.find((v) => v.network === network);
    const before = existing.find((v) => v.network === network);
    const ownText = input?.text !== undefined && input.customized !== false;
    const keepOwn = !ownText && input?.customized !== false && before?.customized === true;
    const thread = input?.thread ?? before?.thread ?? undefined;
    const chosenMedia = (input?.mediaIds ?? before?.mediaIds ?? master.media.map((m) => m.id)).filter((id) => attached.has(id));
    const mediaIds = input?.mediaIds === undefined && before === undefined ? master.media.map((m) => m.id) : chosenMedia;
    if (ownText || keepOwn) {
      const text = ownText ? input!.text! : before!.text;
      const parts = ownText ? (input!.parts ?? []) : before!.parts;
      return {
        network,
        text,
        parts: parts.length > 1 ? parts : [],
        title: input?.title !== undefined ? input.title : (before?.title ?? null),
        mediaIds,
        thread: parts.length > 1,
        firstComment: input?.firstComment !== undefined ? input.firstComment : (before?.firstComment ?? null),
        hashtags: input?.hashtags ?? before?.hashtags ?? [],
        customized: true,
        notes: [],
      };
    }
    const adapted = adaptVariant(adaptMaster({ ...master, media: master.media.filter((m) => mediaIds.includes(m.id)) }), network, {
      ...(thread !== undefined ? { thread } : {}),
      overrides: overridesByNetwork[network],
      campaign: campaignOf(master),
      shortLink: links ? shortLinkUrl(links.base, links.postId, network) : undefined,
    });
    return {
      network,
      text: adapted.text,
      parts: adapted.parts && adapted.parts.length > 1 ? adapted.parts : [],
      title: input?.title !== undefined && input.title !== null ? input.title : adapted.title,
      mediaIds,
      thread: (adapted.parts?.length ?? 0) > 1,
      firstComment: input?.firstComment !== undefined ? input.firstComment : (before?.firstComment ?? adapted.firstComment),
      hashtags: input?.hashtags ?? adapted.hashtags,
      customized: false,
      notes: adapted.notes,
    };
  });
}

/** One variant against one set of limits: a thread is checked post by post, media on the first. */
function checkVariant(variant: StoredVariant, media: AttachedMedia[], channelId: string | null, overrides: LimitOverrides | undefined): VariantCheck {
  const network = variant.network as Network;
  const chosen = variant.mediaIds.map((id) => media.find((m) => m.id === id)).filter((m): m is AttachedMedia => m !== undefined);
  const items = chosen.map((m) => mediaItem(m, network));
  const title = variant.title ?? undefined;
  if (variant.parts.length <= 1) {
    const result = validatePost(network, { text: variant.text, title, media: items }, overrides);
    return { ...result, channelId };
  }
  const issues: VariantCheck['issues'] = [];
  let counters: ValidationResult['counters'] = [];
  variant.parts.forEach((part, index) => {
    const result = validatePost(network, { text: part, title, media: index === 0 ? items : [] }, overrides);
    // Later parts carry no media: a "needs media" rule speaks of the first post only.
    for (const issue of result.issues) {
      if (index > 0 && issue.rule.startsWith('media.')) continue;
      issues.push({ ...issue, part: index + 1 });
    }
    if (index === 0) counters = result.counters;
  });
  return { network, ok: !issues.some((i) => i.severity === 'error'), issues, counters, channelId };
}

/** Every variant against its network's defaults, and again for each target channel with limits of its own. */
export function checkVariants(variants: readonly StoredVariant[], media: AttachedMedia[], channels: readonly TargetChannel[]): VariantCheck[] {
  const checks: VariantCheck[] = [];
  for (const variant of variants) {
    const own = channels.filter((c) => c.network === variant.network && Object.keys(c.limitOverrides).length > 0);
    if (own.length === 0) checks.push(checkVariant(variant, media, null, undefined));
    for (const channel of own) checks.push(checkVariant(variant, media, channel.id, channel.limitOverrides));
  }
  return checks;
}

export function hintsFor(master: Master, terms: { term: string; category: 'sara' | 'hate' | 'unverified' | 'other' }[]) {
  return qualityHints(
    {
      title: master.title,
      bodyText: master.bodyText,
      summary: master.summary,
      portalUrl: master.portalUrl,
      rubricSlug: master.rubricSlug,
      media: master.media.map((m) => ({ alt: m.alt })),
      urgent: master.urgent,
      // Every post has its article on the portal, the link its variants carry.
      portalProvided: true,
    },
    terms,
  );
}

export const blockingIssueCount = (checks: readonly VariantCheck[]): number =>
  checks.reduce((n, c) => n + c.issues.filter((i) => i.severity === 'error').length, 0);
