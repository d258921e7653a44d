/** How large an upload may be, per kind: the one place these numbers live. */
import type { MediaKindColumn } from '../../db/schema.ts';
import { AppError } from '../../errors/errors.ts';

const MB = 1024 * 1024;

export type MediaLimits = Record<MediaKindColumn, number>;

export const mediaLimits: MediaLimits = {
  image: 20 * MB,
  gif: 15 * MB,
  video: 500 * MB,
};

/** The multipart reader stops here whatever the kind; the kind's own limit is checked as soon as the first bytes show it. */
export const largestLimit = (limits: MediaLimits): number => Math.max(limits.image, limits.gif, limits.video);

function shown(bytes: number): string {
  return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export function tooLarge(limits: MediaLimits, details?: Record<string, unknown>): AppError {
  return new AppError('media.too_large', {
    params: { image: shown(limits.image), gif: shown(limits.gif), video: shown(limits.video) },
    ...(details ? { details } : {}),
  });
}
