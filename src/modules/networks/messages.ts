// Owns: building an Issue with its bilingual message. Numbers are formatted per
// language (1.025 in Indonesian, 1,025 in English) so staff read them naturally.
import { NETWORK_NAMES } from './limits.ts';
import type { Network, Unit } from './limits.ts';
import type { Issue } from './types.ts';

// Built once: Number#toLocaleString builds a formatter on every call (~15 µs each).
const ID_NUMBER = new Intl.NumberFormat('id-ID');
const EN_NUMBER = new Intl.NumberFormat('en-US');

export function fmtId(n: number): string {
  return ID_NUMBER.format(n);
}
export function fmtEn(n: number): string {
  return EN_NUMBER.format(n);
}

export const UNIT_WORDS: Record<Unit, { id: string; en: string }> = {
  chars: { id: 'karakter', en: 'characters' },
  weighted: { id: 'karakter', en: 'weighted characters' },
  graphemes: { id: 'karakter', en: 'characters (graphemes)' },
  bytes: { id: 'byte', en: 'bytes' },
};

/** Template for a message: gets the network's display name, returns both languages. */
export type Msg = (name: string) => { id: string; en: string };

export function makeIssue(
  severity: Issue['severity'],
  network: Network,
  rule: string,
  measured: number | string,
  limit: number | string,
  msg: Msg,
): Issue {
  return { severity, network, rule, measured, limit, message: msg(NETWORK_NAMES[network]) };
}

export function mb(bytes: number): { id: string; en: string } {
  const v = Math.round((bytes / (1024 * 1024)) * 10) / 10;
  return { id: `${fmtId(v)} MB`, en: `${fmtEn(v)} MB` };
}
