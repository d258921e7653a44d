import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { Alert, Badge, Button, CheckboxField, CopyButton, ErrorAlert, PageHeader, TextField, fieldErrorsOf } from '../components/ui.tsx';
import { ChangePassword } from './ChangePassword.tsx';
import { useFocusHeading } from '../hooks.ts';
import { QrCode } from '../components/QrCode.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { ForcedLogout } from '../components/ForcedLogout.tsx';

/** Splits a base32 secret into groups of four for easier manual typing. */
function groupSecret(s: string): string {
  return s.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}

function CodeInput({ value, onChange, error, label, testId }: { value: string; onChange: (v: string) => void; error?: string | undefined; label: string; testId: string }) {
  const { t } = useT();
  return (
    <TextField
      label={label}
      hint={t('tfa.codeHint')}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]*"
      maxLength={6}
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
      error={error}
      className="field--code"
      required
      data-testid={testId}
    />
  );
}

export function TwoFactorPanel({ bare = false }: { bare?: boolean }) {
  const { t } = useT();
  const { me, refresh } = useSession();
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const enabled = me.user.totpEnabled;

  const start = async () => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setSetup(await api.totpSetup());
      setCode('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  /** Enabling and disabling both send the 6-digit code; a wrong code is cleared so it can be retyped. */
  const submitCode = (send: (code: string) => Promise<unknown>, done: 'tfa.enabledMsg' | 'tfa.disabledMsg', afterSuccess?: () => void) => async (e: FormEvent) => {
    e.preventDefault();
    if (code.length !== 6) {
      setError(new Error(t('tfa.codeSix')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await send(code);
      afterSuccess?.();
      setCode('');
      setMessage(t(done));
      await refresh();
    } catch (err) {
      setCode('');
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const enable = submitCode(api.totpEnable, 'tfa.enabledMsg', () => setSetup(null));
  const disable = submitCode(api.totpDisable, 'tfa.disabledMsg');

  const fe = fieldErrorsOf(error);
  return (
    <section className={bare ? '' : 'card'} aria-labelledby="tfa-h" data-testid="tfa-panel">
      <div className="card__head">
        {bare ? <h1 id="tfa-h" className="auth-title">{t('tfa.title')}</h1> : <h2 id="tfa-h">{t('tfa.title')}</h2>}
        {enabled ? <Badge tone="green">{t('tfa.on')}</Badge> : <Badge tone="amber">{t('tfa.off')}</Badge>}
      </div>
      <p className="muted">{t('tfa.desc')}</p>
      {me.user.totpRequired && !enabled && <Alert kind="warning">{t('tfa.requiredBanner')}</Alert>}
      {message && <Alert kind="success" testId="tfa-message">{message}</Alert>}
      {!enabled && !setup && <ErrorAlert error={error} testId="tfa-error" fields={['code']} />}

      {!enabled && !setup && (
        <Button variant="primary" onClick={start} busy={busy} data-testid="tfa-start">{t('tfa.start')}</Button>
      )}

      {!enabled && setup && (
        <form onSubmit={enable} noValidate className="stack">
          <ol className="steps">
            <li>{t('tfa.step1')}</li>
            <li>
              {t('tfa.step2qr')}
              <div className="qr-wrap">
                <QrCode value={setup.otpauthUrl} label={t('tfa.qrLabel')} />
              </div>
              {t('tfa.step2')}
              <div className="secret__row">
                <code className="secret__value" data-testid="tfa-secret">{groupSecret(setup.secret)}</code>
                <CopyButton value={setup.secret} />
              </div>
              <details className="disclosure">
                <summary>{t('tfa.showUrl')}</summary>
                <div className="secret__row">
                  <code className="secret__value secret__value--wrap" data-testid="tfa-url">{setup.otpauthUrl}</code>
                  <CopyButton value={setup.otpauthUrl} />
                </div>
                <p className="muted small">{t('tfa.urlHint')}</p>
              </details>
            </li>
            <li>{t('tfa.step3')}</li>
          </ol>
          <ErrorAlert error={error} testId="tfa-error" fields={['code']} />
          <CodeInput label={t('tfa.code')} value={code} onChange={setCode} error={fe['code']} testId="tfa-code" />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={busy} data-testid="tfa-enable">{t('tfa.enable')}</Button>
            <Button variant="ghost" onClick={() => { setSetup(null); setError(null); }}>{t('common.cancel')}</Button>
          </div>
        </form>
      )}

      {enabled && (
        <form onSubmit={disable} noValidate className="stack">
          <p>{t('tfa.disableDesc')}</p>
          <ErrorAlert error={error} testId="tfa-error" fields={['code']} />
          <CodeInput label={t('tfa.code')} value={code} onChange={setCode} error={fe['code']} testId="tfa-disable-code" />
          <div className="form-actions">
            <Button type="submit" variant="danger" busy={busy} data-testid="tfa-disable">{t('tfa.disable')}</Button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Shown instead of the app while a unit requires 2FA and the user has not set it up. */
export function ForcedTwoFactor() {
  const { t } = useT();
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
        <main>
          <TwoFactorPanel bare />
        </main>
      </div>
    </div>
  );
}

/** Whether notifications also come by e-mail (PATCH /me notifyEmail); saved as soon as it is ticked. */
function NotificationSettings() {
  const { t } = useT();
  const { me, refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  // Shown ticked or not at once; put back if the server refuses.
  const [checked, setChecked] = useState(me.user.notifyEmail ?? true);
  const change = async (notifyEmail: boolean) => {
    setChecked(notifyEmail);
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.updateMe({ notifyEmail });
      await refresh();
      setSaved(true);
    } catch (err) {
      setChecked(!notifyEmail);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="notif-settings-h" data-testid="notif-settings">
      <div className="card__head">
        <h2 id="notif-settings-h">{t('notif.settingsTitle')}</h2>
      </div>
      <p className="muted">{t('notif.settingsDesc')}</p>
      <ErrorAlert error={error} testId="notif-settings-error" />
      <CheckboxField
        label={t('notif.emailLabel', { email: me.user.email })}
        hint={t('notif.emailHint')}
        checked={checked}
        disabled={busy}
        onChange={(e) => void change(e.target.checked)}
        data-testid="notif-email"
      />
      {saved && <p className="muted small" role="status">{t('common.savedMsg')}</p>}
    </section>
  );
}

export function Security() {
  const { t } = useT();
  useFocusHeading();
  return (
    <>
      <PageHeader title={t('sec.title')} description={t('sec.desc')} />
      <div className="grid-2">
        <TwoFactorPanel />
        <ChangePassword forced={false} onDone={() => undefined} />
        <NotificationSettings />
      </div>
    </>
  );
}
