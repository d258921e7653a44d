// The portal as one line beside a post's network targets: "Portal — Tayang", the article's link,
// when it went (or goes) live, corrections and withdrawal, and the clicks through its short links
// per network. Approvers of the post's unit get "Koreksi artikel" and "Tarik dari portal", each in a
// dialog whose fields keep what was typed when the server refuses (the error names the field).
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, RefObject } from 'react';
import { api } from '../api.ts';
import type { PortalLine, Post } from '../api.ts';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';
import { networkName } from '../content.ts';
import { formatDateTime } from '../format.ts';
import { Alert, Badge, Button, ErrorAlert, TextAreaField, TextField, fieldErrorsOf } from './ui.tsx';
import { RichText } from './RichText.tsx';

const STATUS: Record<PortalLine['status'], { key: MessageKey; tone: 'neutral' | 'green' | 'amber' | 'blue' }> = {
  waiting: { key: 'portalLine.waiting', tone: 'blue' },
  live: { key: 'portalLine.live', tone: 'green' },
  withdrawn: { key: 'portalLine.withdrawn', tone: 'amber' },
  none: { key: 'portalLine.none', tone: 'neutral' },
};

/** A native modal dialog (focus kept inside, Escape closes) opened as soon as it is shown. */
function useModal(): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return ref;
}

type Draft = { title: string; summary: string; bodyHtml: string; note: string };

export function PortalRow({ post, onChanged }: { post: Post; onChanged: () => void }) {
  const { t, locale, tz } = useT();
  const [open, setOpen] = useState<null | 'correct' | 'withdraw'>(null);
  const [done, setDone] = useState<string | null>(null);
  // What was typed survives closing and reopening the dialog until it is sent.
  const [draft, setDraft] = useState<Draft | null>(null);
  const [reason, setReason] = useState('');
  const line = post.portal;
  if (!line) {
    return (
      <ul className="list-rows" data-testid="portal-line" data-status="absent">
        <li className="list-rows__item target">
          <div className="list-rows__main">
            <div><span className="net-mark" aria-hidden="true">PO</span> <strong>{t('portalLine.name')}</strong></div>
            <p className="small muted">{t('portalLine.notYet')}</p>
          </div>
        </li>
      </ul>
    );
  }
  const status = STATUS[line.status];
  const may = new Set(line.actions);
  const byNetwork = Object.entries(line.clicks.byNetwork);
  return (
    <>
    <ul className="list-rows" data-testid="portal-line" data-status={line.status}>
      <li className="list-rows__item target">
        <div className="list-rows__main">
          <div><span className="net-mark" aria-hidden="true">PO</span> <strong>{t('portalLine.name')}</strong> — <span data-testid="portal-status"><Badge tone={status.tone}>{t(status.key)}</Badge></span></div>
          <div className="target__line">
            {(line.status === 'live' || line.status === 'withdrawn') && <a href={line.url} target="_blank" rel="noreferrer noopener" data-testid="portal-link">{t('portalLine.view')}</a>}
            {line.status === 'waiting' && <span className="small muted break" data-testid="portal-url">{line.url}</span>}
            {line.publishedAt && line.status !== 'none' && (
              <span className="small muted">{t(line.status === 'waiting' ? 'portalLine.waitingAt' : 'portalLine.liveAt', { when: formatDateTime(line.publishedAt, locale, tz) })}</span>
            )}
            {line.correctedAt && <span className="small" data-testid="portal-corrected"><Badge tone="blue">{t('portalLine.corrected', { when: formatDateTime(line.correctedAt, locale, tz) })}</Badge></span>}
            {line.withdrawnAt && <span className="small" data-testid="portal-withdrawn-at">{t('portalLine.withdrawnAt', { when: formatDateTime(line.withdrawnAt, locale, tz) })}</span>}
          </div>
          {line.withdrawnReason && line.status === 'withdrawn' && <p className="small target__reason" data-testid="portal-withdrawn-reason"><strong>{t('portalLine.reason')}</strong> {line.withdrawnReason}</p>}
          {line.status !== 'none' && line.status !== 'waiting' && (
            <p className="small" data-testid="portal-clicks">
              {t('portalLine.clicks', { n: line.clicks.total.toLocaleString(locale === 'en' ? 'en-US' : 'id-ID') })}
              {byNetwork.length > 0 && <> — {byNetwork.map(([n, k], i) => <span key={n} data-testid="portal-clicks-network" data-network={n}>{i > 0 ? ' · ' : ''}{n === 'portal' ? t('portalLine.name') : networkName(n)} {k.toLocaleString(locale === 'en' ? 'en-US' : 'id-ID')}</span>)}</>}
            </p>
          )}
          {done && <Alert kind="success" testId="portal-msg">{done}</Alert>}
        </div>
        {(may.has('correct') || may.has('withdraw')) && (
          <div className="list-rows__actions">
            {may.has('correct') && <Button small onClick={() => { setDone(null); setOpen('correct'); }} aria-haspopup="dialog" data-testid="portal-correct">{t('portalLine.correct')}</Button>}
            {may.has('withdraw') && <Button small variant="ghost" className="btn--danger-text" onClick={() => { setDone(null); setOpen('withdraw'); }} aria-haspopup="dialog" data-testid="portal-withdraw">{t('portalLine.withdraw')}</Button>}
          </div>
        )}
      </li>
    </ul>
      {open === 'correct' && (
        <CorrectDialog
          post={post}
          draft={draft ?? { ...line.article, note: '' }}
          onDraft={setDraft}
          onClose={() => setOpen(null)}
          onDone={() => { setOpen(null); setDraft(null); setDone(t('portalLine.correctedMsg')); onChanged(); }}
        />
      )}
      {open === 'withdraw' && (
        <WithdrawDialog
          post={post}
          reason={reason}
          onReason={setReason}
          onClose={() => setOpen(null)}
          onDone={() => { setOpen(null); setReason(''); setDone(t('portalLine.withdrawnMsg')); onChanged(); }}
        />
      )}
    </>
  );
}

/** "5–500 characters", checked before sending; the server checks the same. */
function reasonError(text: string, t: (k: MessageKey) => string): string | undefined {
  const n = text.trim().length;
  if (n === 0) return t('portalLine.required');
  if (n < 5) return t('portalLine.tooShort');
  if (n > 500) return t('portalLine.tooLong');
  return undefined;
}

function CorrectDialog({ post, draft, onDraft, onClose, onDone }: { post: Post; draft: Draft; onDraft: (d: Draft) => void; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const ref = useModal();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const set = (patch: Partial<Draft>) => {
    onDraft({ ...draft, ...patch });
    // A field being fixed no longer shows its error.
    setLocal((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !(k in patch))));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!draft.title.trim()) errs['title'] = t('portalLine.required');
    const noteErr = reasonError(draft.note, t);
    if (noteErr) errs['note'] = noteErr;
    setLocal(errs);
    if (Object.keys(errs).length > 0) { setError(null); return; }
    setBusy(true);
    setError(null);
    try {
      await api.correctArticle(post.id, { title: draft.title, summary: draft.summary, bodyHtml: draft.bodyHtml, note: draft.note.trim() });
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fe = { ...fieldErrorsOf(error), ...local };
  return (
    <dialog ref={ref} className="dialog__box" style={{ border: 'none', maxWidth: '48rem' }} aria-labelledby={`${id}-h`} onCancel={(e) => { e.preventDefault(); if (!busy) onClose(); }} data-testid="portal-correct-dialog">
      <form onSubmit={submit} noValidate className="stack">
        <h2 id={`${id}-h`}>{t('portalLine.correctTitle')}</h2>
        <p className="muted small">{t('portalLine.correctIntro')}</p>
        <TextField label={t('portalLine.fieldTitle')} value={draft.title} onChange={(e) => set({ title: e.target.value })} error={fe['title']} required data-testid="portal-correct-title" />
        <TextAreaField label={t('portalLine.fieldSummary')} rows={2} value={draft.summary} onChange={(e) => set({ summary: e.target.value })} error={fe['summary']} data-testid="portal-correct-summary" />
        <div className={`field ${fe['bodyHtml'] ? 'field--error' : ''}`}>
          <RichText label={t('portalLine.fieldBody')} value={draft.bodyHtml} onChange={(html) => set({ bodyHtml: html })} testId="portal-correct-body" />
          {fe['bodyHtml'] && <div className="field__error" data-testid="portal-correct-body-error">{fe['bodyHtml']}</div>}
        </div>
        <TextAreaField label={t('portalLine.fieldNote')} hint={t('portalLine.noteHint')} rows={2} value={draft.note} onChange={(e) => set({ note: e.target.value })} error={fe['note']} required data-testid="portal-correct-note" />
        <ErrorAlert error={error} testId="portal-correct-error" fields={['title', 'summary', 'bodyHtml', 'note']} />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} data-testid="portal-correct-save">{t('portalLine.correctSave')}</Button>
          <button type="button" className="btn btn--ghost" disabled={busy} onClick={onClose} data-testid="portal-correct-cancel">{t('common.cancel')}</button>
        </div>
      </form>
    </dialog>
  );
}

function WithdrawDialog({ post, reason, onReason, onClose, onDone }: { post: Post; reason: string; onReason: (r: string) => void; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const ref = useModal();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<string | undefined>(undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const err = reasonError(reason, t);
    setLocal(err);
    if (err) { setError(null); return; }
    setBusy(true);
    setError(null);
    try {
      await api.withdrawArticle(post.id, { reason: reason.trim() });
      onDone();
    } catch (er) {
      setError(er);
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog__box" style={{ border: 'none' }} aria-labelledby={`${id}-h`} aria-describedby={`${id}-d`} onCancel={(e) => { e.preventDefault(); if (!busy) onClose(); }} data-testid="portal-withdraw-dialog">
      <form onSubmit={submit} noValidate className="stack">
        <h2 id={`${id}-h`}>{t('portalLine.withdrawTitle')}</h2>
        <p id={`${id}-d`}>{t('portalLine.withdrawIntro')}</p>
        <TextAreaField label={t('portalLine.fieldReason')} hint={t('portalLine.noteHint')} rows={3} value={reason} onChange={(e) => onReason(e.target.value)} error={local ?? fieldErrorsOf(error)['reason']} required autoFocus data-testid="portal-withdraw-reason" />
        <ErrorAlert error={error} testId="portal-withdraw-error" fields={['reason']} />
        <div className="form-actions">
          <Button type="submit" variant="danger" busy={busy} data-testid="portal-withdraw-yes">{t('portalLine.withdrawConfirm')}</Button>
          <button type="button" className="btn btn--ghost" disabled={busy} onClick={onClose} data-testid="portal-withdraw-no">{t('common.cancel')}</button>
        </div>
      </form>
    </dialog>
  );
}
