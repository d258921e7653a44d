import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { Alert, Button, ErrorAlert, TextField, fieldErrorsOf } from '../components/ui.tsx';
import { StrengthMeter } from '../components/StrengthMeter.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { ForcedLogout } from '../components/ForcedLogout.tsx';

export function ChangePassword({ forced, onDone }: { forced: boolean; onDone: () => void }) {
  const { t } = useT();
  const { me, refresh } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localErr, setLocalErr] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    firstRef.current?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!current) errs['currentPassword'] = t('pw.errCurrentRequired');
    if (!next) errs['newPassword'] = t('pw.errNewRequired');
    else if (next === current) errs['newPassword'] = t('pw.errSame');
    if (next && confirm !== next) errs['confirm'] = t('pw.errMismatch');
    setLocalErr(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setError(null);
    try {
      await api.changePassword({ currentPassword: current, newPassword: next });
      setDone(true);
      setCurrent('');
      setNext('');
      setConfirm('');
      await refresh();
      if (forced) onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fe = { ...fieldErrorsOf(error), ...localErr };
  const weak = error instanceof ApiError && error.code === 'auth.weak_password' ? error.details : undefined;
  const warnings = Array.isArray(weak?.['warnings']) ? (weak['warnings'] as unknown[]).filter((x): x is string => typeof x === 'string' && !!x) : [];
  const suggestions = Array.isArray(weak?.['suggestions']) ? (weak['suggestions'] as unknown[]).filter((x): x is string => typeof x === 'string' && !!x) : [];
  const wrongCurrent = error instanceof ApiError && error.code === 'auth.invalid_credentials';

  const form = (
    <>
      {forced ? (
        <h1 className="auth-title" tabIndex={-1}>{t('pw.forcedTitle')}</h1>
      ) : (
        <div className="card__head"><h2>{t('pw.title')}</h2></div>
      )}
      <p className={forced ? 'auth-desc' : 'muted'}>{forced ? t('pw.forcedDesc', { name: me.user.name }) : t('pw.desc')}</p>
      {done && !forced && <Alert kind="success" testId="pw-done">{t('pw.changed')}</Alert>}
      <form onSubmit={submit} noValidate data-testid="change-password-form">
        {error !== null && (
          weak ? (
            <Alert kind="error" title={(error as ApiError).message} testId="pw-weak">
              {(warnings.length > 0 || suggestions.length > 0) && (
                <ul className="alert__list">
                  {warnings.map((w) => <li key={`w-${w}`}>{w}</li>)}
                  {suggestions.map((s) => <li key={`s-${s}`}>{s}</li>)}
                </ul>
              )}
            </Alert>
          ) : wrongCurrent ? null : (
            <ErrorAlert error={error} testId="pw-error" fields={['currentPassword', 'newPassword']} />
          )
        )}
        <TextField
          label={forced ? t('pw.currentTemp') : t('pw.current')}
          type={show ? 'text' : 'password'}
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={fe['currentPassword'] ?? (wrongCurrent ? (error as ApiError).message : undefined)}
          ref={firstRef}
          required
          data-testid="pw-current"
        />
        <TextField
          label={t('pw.new')}
          type={show ? 'text' : 'password'}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={fe['newPassword']}
          aria-describedby="pw-strength"
          required
          data-testid="pw-new"
        />
        <StrengthMeter id="pw-strength" password={next} userInputs={[me.user.email, me.user.name]} />
        <TextField
          label={t('pw.confirm')}
          type={show ? 'text' : 'password'}
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={fe['confirm']}
          required
          data-testid="pw-confirm"
        />
        <div className="field field--check">
          <input id="pw-show" type="checkbox" checked={show} onChange={(e) => setShow(e.target.checked)} />
          <label htmlFor="pw-show">{t('pw.show')}</label>
        </div>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} className={forced ? 'btn--block' : ''} data-testid="pw-submit">
            {t('pw.submit')}
          </Button>
        </div>
      </form>
    </>
  );

  if (forced) {
    return (
      <div className="auth-page">
        <div className="auth-card auth-card--wide">
          <div className="auth-card__top">
            <div className="brand brand--large">
              <span className="brand__mark" aria-hidden="true">S</span>
              <span>Siar <span className="brand__sub">Admin</span></span>
            </div>
            <div className="auth-card__tools">
              <LanguageSwitch compact />
              <ForcedLogout />
            </div>
          </div>
          <main>{form}</main>
        </div>
      </div>
    );
  }
  return <section className="card" data-testid="pw-panel">{form}</section>;
}
