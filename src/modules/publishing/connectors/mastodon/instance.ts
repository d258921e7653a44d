/**
 * What a Mastodon server allows, read from the server itself: every instance sets its own status
 * length, attachment count and accepted file types (`GET /api/v2/instance`, Mastodon 4.0+; older
 * servers answer only `/api/v1/instance`). Mastodon reports no posting quota, so none is given.
 */
import { MastoHttpError } from 'masto';
import type { mastodon } from 'masto';
import type { AccountCapabilities } from '../../connector.ts';

/** Mastodon's own defaults, for a server that does not say (a v1 instance before 3.4.2). */
const DEFAULT_MAX_CHARACTERS = 500;
const DEFAULT_MAX_MEDIA = 4;

interface InstanceFacts {
  version: string;
  maxCharacters: number | undefined;
  maxMedia: number | undefined;
  mimeTypes: string[] | undefined;
}

export async function readInstance(api: mastodon.rest.Client): Promise<InstanceFacts> {
  try {
    const instance = await api.v2.instance.fetch();
    return {
      version: instance.version,
      maxCharacters: instance.configuration?.statuses?.maxCharacters,
      maxMedia: instance.configuration?.statuses?.maxMediaAttachments,
      mimeTypes: instance.configuration?.mediaAttachments?.supportedMimeTypes,
    };
  } catch (error) {
    // Only a server without the v2 endpoint (Mastodon 3.x) falls back; any other failure is reported.
    if (!(error instanceof MastoHttpError) || error.statusCode !== 404) throw error;
  }
  const instance = await api.v1.instance.fetch();
  return {
    version: instance.version,
    maxCharacters: instance.configuration?.statuses?.maxCharacters,
    maxMedia: instance.configuration?.statuses?.maxMediaAttachments,
    mimeTypes: instance.configuration?.mediaAttachments?.supportedMimeTypes,
  };
}

/**
 * Status editing arrived in Mastodon 3.5. Servers of other software report a Mastodon-compatible
 * version first ("3.0.0 (compatible; Pleroma 2.5.0)"); that leading version is what is judged,
 * which errs on the side of "cannot edit".
 */
export function supportsEdits(version: string): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 3 || (major === 3 && minor >= 5);
}

export function mediaKindsOf(mimeTypes: string[] | undefined): AccountCapabilities['mediaKinds'] {
  if (!mimeTypes || mimeTypes.length === 0) return ['image', 'video', 'gif'];
  const kinds: AccountCapabilities['mediaKinds'] = [];
  if (mimeTypes.some((m) => m.startsWith('image/') && m !== 'image/gif')) kinds.push('image');
  if (mimeTypes.some((m) => m.startsWith('video/'))) kinds.push('video');
  if (mimeTypes.includes('image/gif')) kinds.push('gif');
  return kinds;
}

export function capabilitiesOf(facts: InstanceFacts): AccountCapabilities {
  return {
    maxCharacters: facts.maxCharacters ?? DEFAULT_MAX_CHARACTERS,
    maxMedia: facts.maxMedia ?? DEFAULT_MAX_MEDIA,
    mediaKinds: mediaKindsOf(facts.mimeTypes),
    // Mastodon throttles statuses (300 per 3 hours by default) but reports no remaining count.
    postsRemaining: null,
    postsWindowHours: null,
    canEdit: supportsEdits(facts.version),
    canDelete: true,
    canReadComments: true,
    canReply: true,
    canReadMetrics: true,
  };
}
