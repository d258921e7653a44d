// Calls of the regulations API (/api/v1/regulations) and its shapes.
import { request } from '../../api.ts';

export type RegulationType = 'perda' | 'pergub' | 'perbup' | 'perwali' | 'keputusan' | 'surat_edaran';
export type RegulationStatus = 'berlaku' | 'dicabut' | 'diubah' | 'rancangan';
export const REGULATION_TYPES: readonly RegulationType[] = ['perda', 'pergub', 'perbup', 'perwali', 'keputusan', 'surat_edaran'];
export const REGULATION_STATUSES: readonly RegulationStatus[] = ['berlaku', 'diubah', 'dicabut', 'rancangan'];

export interface FaqEntry { question: string; answer: string }

/** The explanation sections, in the order of the form. */
export const EXPLANATION_FIELDS = ['purpose', 'reasons', 'affected', 'changes', 'starts'] as const;
export type ExplanationField = (typeof EXPLANATION_FIELDS)[number];

export interface RegulationFields {
  type: RegulationType;
  number: string;
  year: number;
  title: string;
  enactedOn: string | null;
  inForceOn: string | null;
  status: RegulationStatus;
  jdihUrl: string | null;
  purpose: string;
  reasons: string;
  affected: string;
  changes: string;
  starts: string;
  faq: FaqEntry[];
}

export interface Regulation extends RegulationFields {
  id: string;
  slug: string;
  unit: { id: string; name: string };
  name: string;
  missing: string[];
  postCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  canEdit: boolean;
}

export interface LinkedPost { id: string; title: string; status: string; unit: { id: string; name: string }; linkedAt: string }
export interface RegulationDetail extends Regulation { posts: LinkedPost[] }

export interface RegulationFilter {
  type?: string | undefined;
  year?: string | undefined;
  status?: string | undefined;
  unitId?: string | undefined;
  q?: string | undefined;
  page?: number | undefined;
}

export interface ReadabilityIssue {
  kind: 'long_sentence' | 'jargon' | 'passive';
  text: string;
  start: number;
  end: number;
  suggestion: string;
  message: { id: string; en: string };
  measured?: number;
}

export interface Readability {
  score: number | null;
  label: 'Mudah' | 'Sedang' | 'Sulit' | null;
  stats: { sentences: number; words: number; wordsPerSentence: number; syllablesPerWord: number; longestSentence: number; longSentences: number; passiveVerbs: number };
  issues: ReadabilityIssue[];
}

export function listRegulations(filter: RegulationFilter): Promise<{ items: Regulation[]; total: number; page: number; pageSize: number }> {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') q.set(key, String(value));
  const qs = q.toString();
  return request('GET', `/regulations${qs ? `?${qs}` : ''}`);
}

export const getRegulation = (id: string): Promise<RegulationDetail> => request('GET', `/regulations/${id}`);
export const createRegulation = (body: RegulationFields & { unitId: string }): Promise<RegulationDetail> => request('POST', '/regulations', body);
export const updateRegulation = (id: string, body: Partial<RegulationFields> & { version: number }): Promise<RegulationDetail> => request('PATCH', `/regulations/${id}`, body);
export const deleteRegulation = (id: string): Promise<void> => request('DELETE', `/regulations/${id}`);
export const linkPost = (id: string, postId: string): Promise<RegulationDetail> => request('POST', `/regulations/${id}/posts`, { postId });
export const unlinkPost = (id: string, postId: string): Promise<void> => request('DELETE', `/regulations/${id}/posts/${postId}`);
export const scoreReadability = (text: string): Promise<Readability> => request('POST', '/regulations/readability', { text });

/** "Explain this": a draft post of the regulation's unit with the explainer carousel. */
export interface ExplainAnswer {
  postId: string;
  images: { mediaId: string; alt: string; width: number; height: number }[];
  channels: { id: string; name: string; network: string }[];
  skipped: { id: string; name: string; network: string; reason: string }[];
  notes: { id: string; en: string }[];
}
export const explainRegulation = (id: string): Promise<ExplainAnswer> => request('POST', `/regulations/${id}/explain`, {});
