// Calls of the citizens' feedback moderation API (/api/v1/portal-feedback).
import { request } from '../api.ts';

export type FeedbackKind = 'question' | 'complaint' | 'suggestion';
export type FeedbackStatus = 'new' | 'answered' | 'closed' | 'spam';
export const FEEDBACK_KINDS: readonly FeedbackKind[] = ['question', 'complaint', 'suggestion'];
export const FEEDBACK_STATUSES: readonly FeedbackStatus[] = ['new', 'answered', 'closed', 'spam'];

export interface Feedback {
  id: string;
  kind: FeedbackKind;
  status: FeedbackStatus;
  message: string;
  name: string | null;
  contact: string | null;
  note: string | null;
  article: { postId: string; slug: string; title: string; url: string };
  unit: { id: string; name: string };
  handledBy: { id: string; name: string } | null;
  handledAt: string | null;
  createdAt: string;
  canModerate: boolean;
}

export interface FeedbackFilter {
  status?: FeedbackStatus | undefined;
  kind?: FeedbackKind | undefined;
  unitId?: string | undefined;
  page?: number | undefined;
}

export function listFeedback(filter: FeedbackFilter): Promise<{ items: Feedback[]; total: number; page: number; pageSize: number }> {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') q.set(key, String(value));
  const qs = q.toString();
  return request('GET', `/portal-feedback${qs ? `?${qs}` : ''}`);
}

export function feedbackSummary(): Promise<{ new: number }> {
  return request('GET', '/portal-feedback/summary');
}

export function setFeedbackStatus(id: string, status: FeedbackStatus, note?: string): Promise<Feedback> {
  return request('PATCH', `/portal-feedback/${id}`, note === undefined ? { status } : { status, note });
}
