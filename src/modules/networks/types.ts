// Owns: the shared TypeScript shapes of a post and of a validation result.
// Kept separate so limits, measuring, rules and schemas can all import them without cycles.
import type { MediaKind, Network, Unit } from './limits.ts';

export type MediaItem = {
  kind: MediaKind;
  mime: string;
  bytes: number;
  width?: number | undefined;
  height?: number | undefined;
  alt?: string | undefined;
};

export type Post = {
  text: string;
  /** Only YouTube uses a title; other networks ignore it. */
  title?: string | undefined;
  media: MediaItem[];
};

export type Issue = {
  severity: 'error' | 'warning';
  network: Network;
  /** Stable id (e.g. 'text.too_long') so the UI and tests never parse message text. */
  rule: string;
  measured: number | string;
  limit: number | string;
  /** Plain Indonesian first (humas staff), English second. */
  message: { id: string; en: string };
};

export type Counter = { used: number; limit: number; unit: Unit };

export type ValidationResult = {
  network: Network;
  /** True when there are no errors; warnings do not block. */
  ok: boolean;
  issues: Issue[];
  counters: Counter[];
};
