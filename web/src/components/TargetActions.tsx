// What an approver can still do to a target once its network has it: take it down ("Hapus dari
// jaringan", after a dialog naming the network and the account, since it cannot be undone) or
// correct its text there ("Koreksi teks", one box per thread part with the composer's counter).
// The network answers there and then: its refusal shows beside the control and nothing typed is lost.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, RefObject } from 'react';
import { api } from '../api.ts';
import type { Post, PostTarget } from '../api.ts';
import { useT } from '../i18n.tsx';
import { networkName, quickCount } from '../content.ts';
import { formatDateTime } from '../format.ts';
import { Badge, Button, ErrorAlert, TextField, fieldErrorsOf } from './ui.tsx';

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

/** "Dihapus dari jaringan" / "Dikoreksi" with when, in the display zone. */
export function TargetMarks({ target }: { target: PostTarget }) {
  const { t, locale, tz } = useT();
  return (
    <>
      {target.removedAt && (
        <span className="small" data-testid="target-removed">
          <Badge tone="amber">{t('pub.removedBadge')}</Badge> <span className="muted" data-testid="target-removed-at">{formatDateTime(target.removedAt, locale, tz)}</span>
        </span>
      )}
      {target.editedAt && (
        <span className="small" data-testid="target-edited">
          <Badge tone="blue">{t('pub.editedBadge')}</Badge> <span className="muted" data-testid="target-edited-at">{formatDateTime(target.editedAt, locale, tz)}</span>
        </span>
      )}
    </>
  );
}

/** "Hapus dari jaringan" and its confirmation dialog. */
export function TargetRemove({ post, target, onRemoved }: { post: Post; target: PostTarget; onRemoved: (msg: string) => void }) {
  const { t } = useT();
  const [asking, setAsking] = useState(false);
  const net = networkName(target.network);
  return (
    <>
      <Button small variant="ghost" className="btn--danger-text" onClick={() => setAsking(true)} aria-haspopup="dialog" data-testid="target-remove">
        {t('pub.remove')}<span className="sr-only"> ({net}, {target.channel.name})</span>
      </Button>
      {asking && <RemoveDialog post={post} target={target} onClose={() => setAsking(false)} onRemoved={(m) => { setAsking(false); onRemoved(m); }} />}
    </>
  );
}

function RemoveDialog({ post, target, onClose, onRemoved }: { post: Post; target: PostTarget; onClose: () => void; onRemoved: (msg: string) => void }) {
  const { t } = useT();
  const ref = useModal();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Opened on "Batal": the safe choice for something that cannot be undone.
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const net = networkName(target.network);
  const vars = { network: net, account: target.channel.name, handle: target.channel.handle };
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.removeTarget(post.id, target.id);
      onRemoved(t('pub.removedMsg', vars));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <dialog
      ref={ref}
      className="dialog__box"
      style={{ border: 'none' }}
      aria-labelledby={`${id}-h`}
      aria-describedby={`${id}-d`}
      onCancel={(e) => { e.preventDefault(); if (!busy) onClose(); }}
      data-testid="target-remove-dialog"
    >
      <h2 id={`${id}-h`}>{t('pub.removeTitle', vars)}</h2>
      <div id={`${id}-d`}>
        <p data-testid="target-remove-what">{t('pub.removeBody', vars)}</p>
        <p><strong>{t('pub.removeFinal')}</strong></p>
      </div>
      <ErrorAlert error={error} testId="target-remove-error" />
      <div className="form-actions">
        <Button variant="danger" busy={busy} onClick={() => void remove()} data-testid="target-remove-yes">{t('pub.removeConfirm', vars)}</Button>
        <button type="button" className="btn btn--ghost" disabled={busy} onClick={onClose} ref={cancel} data-testid="target-remove-no">{t('common.cancel')}</button>
      </div>
    </dialog>
  );
}

/** The texts on the network to start from: this variant's parts (or its one text). */
export function targetTexts(post: Post, target: PostTarget): { texts: string[]; title: string | null } {
  const v = post.variants.find((x) => x.network === target.network);
  if (!v) return { texts: [''], title: null };
  return { texts: v.parts.length > 1 ? [...v.parts] : [v.text], title: v.title };
}

/** The inline editor of "Koreksi teks". `start` is what to show first (what was last sent, else the variant). */
export function TargetEditor({ post, target, start, onEdited, onCancel }: {
  post: Post;
  target: PostTarget;
  start: { texts: string[]; title: string | null };
  onEdited: (sent: { texts: string[]; title: string | null }, msg: string) => void;
  onCancel: () => void;
}) {
  const { t } = useT();
  const id = useId();
  const [texts, setTexts] = useState<string[]>(start.texts);
  const [title, setTitle] = useState<string>(start.title ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const net = networkName(target.network);
  const hasTitle = start.title !== null;
  // The account's own limit as the server checked it for this post, else none shown.
  const check = post.checks.find((c) => c.channelId === target.channelId && c.network === target.network) ?? post.checks.find((c) => c.network === target.network);
  const limit = check?.counters[0]?.limit;
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    texts.forEach((x, i) => { if (!x.trim()) errs[`texts.${i}`] = t('pub.editEmpty'); });
    if (hasTitle && !title.trim()) errs['title'] = t('pub.editEmpty');
    setLocal(errs);
    if (Object.keys(errs).length > 0) {
      setError(null);
      return;
    }
    const sent = { texts: texts.map((x) => x.trim()), title: hasTitle ? title.trim() : null };
    setBusy(true);
    setError(null);
    try {
      await api.editTarget(post.id, target.id, sent);
      onEdited(sent, t('pub.editedMsg', { network: net, account: target.channel.name }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fe = { ...fieldErrorsOf(error), ...local };
  const placed = ['texts', 'title', ...texts.map((_, i) => `texts.${i}`)];
  return (
    <form onSubmit={submit} noValidate className="card card--inset stack target__editor" aria-labelledby={`${id}-h`} data-testid="target-editor">
      <h3 id={`${id}-h`}>{t('pub.editTitle', { network: net })}</h3>
      <p className="muted small">{t('pub.editIntro', { account: `${target.channel.name} (${target.channel.handle})` })}</p>
      {fe['texts'] && <p className="field__error" data-testid="target-editor-texts-error">{fe['texts']}</p>}
      {hasTitle && (
        <TextField label={t('pub.editTitleField')} value={title} onChange={(e) => setTitle(e.target.value)} error={fe['title']} required data-testid="target-editor-title" />
      )}
      {texts.map((text, i) => {
        const used = quickCount(target.network, text);
        const over = limit !== undefined && used > limit;
        const err = fe[`texts.${i}`] ?? (over ? t('pub.editOver', { network: net }) : undefined);
        const fid = `${id}-p${i}`;
        return (
          <div key={i} className={`field ${err ? 'field--error' : ''}`} data-testid="target-editor-part">
            <label htmlFor={fid}>{texts.length > 1 ? t('pub.editPart', { n: i + 1 }) : t('pub.editText')}</label>
            <textarea
              ref={i === 0 ? first : undefined}
              id={fid}
              rows={Math.min(10, Math.max(3, Math.ceil(text.length / 70)))}
              value={text}
              onChange={(e) => { const v = e.target.value; setTexts((p) => p.map((x, j) => (j === i ? v : x))); }}
              aria-invalid={err ? true : undefined}
              aria-describedby={`${fid}-count${err ? ` ${fid}-err` : ''}`}
              data-testid={`target-editor-text-${i}`}
            />
            <div className="counter-row">
              <span id={`${fid}-count`} className={`counter${over ? ' counter--over' : ''}`} data-testid={`target-editor-count-${i}`} aria-live="polite">
                {t('cmp.counter', { used, limit: limit ?? '∞' })}
              </span>
            </div>
            {err && <div className="field__error" id={`${fid}-err`} data-testid={`target-editor-error-${i}`}>{err}</div>}
          </div>
        );
      })}
      <ErrorAlert error={error} testId="target-editor-error" fields={placed} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid="target-editor-save">{t('pub.editSave', { network: net })}</Button>
        <Button variant="ghost" onClick={onCancel} disabled={busy} data-testid="target-editor-cancel">{t('common.cancel')}</Button>
      </div>
    </form>
  );
}
