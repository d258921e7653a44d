// Small accessible building blocks: fields tied to labels, alerts, buttons, secrets.
import { useEffect, useId, useRef, useState } from 'react';
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { useT } from '../i18n.tsx';
import { ApiError } from '../api.ts';

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const s = ids.filter(Boolean).join(' ');
  return s || undefined;
}

type FieldBase = { label: ReactNode; error?: string | undefined; hint?: ReactNode; className?: string };

/** Label, hint and error around one control; `control` receives the ARIA wiring to spread on it. */
function Field({ id, label, error, hint, className, control }: FieldBase & {
  id: string;
  control: (aria: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  return (
    <div className={`field ${error ? 'field--error' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {control({
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy(hint !== undefined && `${id}-hint`, !!error && `${id}-err`),
      })}
      {hint !== undefined && <div className="field__hint" id={`${id}-hint`}>{hint}</div>}
      {error && <div className="field__error" id={`${id}-err`}>{error}</div>}
    </div>
  );
}

export function TextField({ label, error, hint, className, id: givenId, ...input }: FieldBase & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const auto = useId();
  return <Field id={givenId ?? auto} label={label} error={error} hint={hint} className={className} control={(aria) => <input {...aria} {...input} />} />;
}

export function TextAreaField({ label, error, hint, className, ...input }: FieldBase & TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  const id = useId();
  return <Field id={id} label={label} error={error} hint={hint} className={className} control={(aria) => <textarea {...aria} {...input} />} />;
}

export function SelectField({ label, error, hint, className, children, ...select }: FieldBase & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <Field id={id} label={label} error={error} hint={hint} className={className} control={(aria) => <select {...aria} {...select}>{children}</select>} />
  );
}

export function CheckboxField({ label, hint, className, ...input }: Omit<FieldBase, 'error'> & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className={`field field--check ${className ?? ''}`}>
      <input type="checkbox" id={id} aria-describedby={hint !== undefined ? `${id}-hint` : undefined} {...input} />
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && <div className="field__hint" id={`${id}-hint`}>{hint}</div>}
    </div>
  );
}

type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost' | 'link';
  busy?: boolean;
  small?: boolean;
};

export function Button({ variant = 'secondary', busy, small, className, disabled, children, type, ...rest }: ButtonProps) {
  return (
    <button
      type={type ?? 'button'}
      className={`btn btn--${variant}${small ? ' btn--small' : ''} ${className ?? ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

export function Alert({ kind = 'error', title, children, testId }: { kind?: 'error' | 'success' | 'info' | 'warning'; title?: ReactNode; children?: ReactNode; testId?: string }) {
  return (
    <div className={`alert alert--${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {title && <strong className="alert__title">{title}</strong>}
      {children && <div className="alert__body">{children}</div>}
    </div>
  );
}

/** Shows an API error (already localised by the server) or any other error. */
export function ErrorAlert({ error, testId = 'error', fields = [] }: { error: unknown; testId?: string; fields?: string[] }) {
  const { t } = useT();
  if (!error) return null;
  const message = error instanceof Error ? error.message : t('common.unexpected');
  const fieldIssues = error instanceof ApiError ? error.fieldErrors() : {};
  const unplaced = error instanceof ApiError && error.code === 'validation.invalid' ? Object.entries(fieldIssues).filter(([path]) => !fields.includes(path)) : [];
  return (
    <Alert kind="error" testId={testId}>
      <span data-testid={`${testId}-message`}>{message}</span>
      {unplaced.length > 0 && (
        <ul className="alert__list">
          {unplaced.map(([path, msg]) => (
            <li key={path}>{path ? `${path}: ` : ''}{msg}</li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors() : {};
}

export function CopyButton({ value, testId }: { value: string; testId?: string }) {
  const { t } = useT();
  const [copied, setCopied] = useState<'idle' | 'ok' | 'fail'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const copy = async () => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(value);
      ok = true;
    } catch {
      // Fallback for non-secure contexts (plain http on an intranet).
      const ta = document.createElement('textarea');
      ta.value = value;
      ta.setAttribute('readonly', '');
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
      ta.remove();
    }
    setCopied(ok ? 'ok' : 'fail');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setCopied('idle'), 2500);
  };
  return (
    <Button small onClick={copy} data-testid={testId}>
      {copied === 'ok' ? t('common.copied') : copied === 'fail' ? t('common.copyFailed') : t('common.copy')}
    </Button>
  );
}

/** A one-time secret (temporary password, API token) shown once, with copy button. */
export function SecretNotice({ title, explanation, value, onDone, testId }: { title: ReactNode; explanation: ReactNode; value: string; onDone: () => void; testId: string }) {
  const { t } = useT();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="secret" ref={ref} tabIndex={-1} role="region" aria-label={typeof title === 'string' ? title : undefined} data-testid={`${testId}-notice`}>
      <h3 className="secret__title">{title}</h3>
      <p className="secret__text">{explanation}</p>
      <div className="secret__row">
        <code className="secret__value" data-testid={testId}>{value}</code>
        <CopyButton value={value} testId={`${testId}-copy`} />
      </div>
      <Button variant="primary" small onClick={onDone} data-testid={`${testId}-done`}>{t('common.iNotedIt')}</Button>
    </div>
  );
}

/** Two-step confirmation inline, no modal: first click asks, second confirms. */
export function ConfirmButton({ label, confirmLabel, onConfirm, variant = 'danger', testId, disabled }: { label: ReactNode; confirmLabel?: ReactNode; onConfirm: () => Promise<void> | void; variant?: 'danger' | 'secondary'; testId?: string; disabled?: boolean }) {
  const { t } = useT();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const yesRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yesRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <Button small variant={variant === 'danger' ? 'ghost' : 'secondary'} className={variant === 'danger' ? 'btn--danger-text' : ''} onClick={() => setAsking(true)} data-testid={testId} disabled={disabled}>
        {label}
      </Button>
    );
  }
  return (
    <span className="confirm" role="group">
      <span className="confirm__q">{confirmLabel ?? t('common.areYouSure')}</span>
      <button
        ref={yesRef}
        type="button"
        className={`btn btn--small btn--${variant}`}
        disabled={busy}
        data-testid={testId ? `${testId}-yes` : undefined}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {t('common.yes')}
      </button>
      <Button small variant="ghost" onClick={() => setAsking(false)}>{t('common.cancel')}</Button>
    </span>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useT();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label ?? t('common.loading')}
    </div>
  );
}

export function PageHeader({ title, description, actions }: { title: ReactNode; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1 tabIndex={-1} className="page-title">{title}</h1>
        {description && <p className="page-desc">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'green' | 'amber' | 'red' | 'blue' }) {
  return <span className={`badge badge--${tone}`}>{children}</span>;
}
