import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api.ts';
import type { Token } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useFocusHeading, useLoad } from '../hooks.ts';
import { formatDateTime } from '../format.ts';
import { Alert, Badge, Button, ConfirmButton, ErrorAlert, Loading, PageHeader, SecretNotice, SelectField, TextField, fieldErrorsOf } from '../components/ui.tsx';

const EXPIRY = ['30', '90', '180', '365', ''] as const;

function isExpired(tk: Token): boolean {
  return !!tk.expiresAt && new Date(tk.expiresAt).getTime() < Date.now();
}

export function Tokens() {
  const { t, locale, tz } = useT();
  const list = useLoad(async () => (await api.tokens()).items, []);
  const [name, setName] = useState('');
  const [days, setDays] = useState<string>('90');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<{ token: Token; secret: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useFocusHeading();

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(new Error(t('tokens.errName')));
      return;
    }
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const res = await api.createToken({ name: name.trim(), ...(days ? { expiresInDays: Number(days) } : {}) });
      setCreated(res);
      setName('');
      await list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fe = fieldErrorsOf(error);
  return (
    <>
      <PageHeader title={t('tokens.title')} description={t('tokens.desc')} />
      {created && (
        <SecretNotice
          testId="token-secret"
          title={t('tokens.createdTitle', { name: created.token.name })}
          explanation={t('tokens.secretExplain')}
          value={created.secret}
          onDone={() => setCreated(null)}
        />
      )}
      {message && <Alert kind="success">{message}</Alert>}
      <section className="card" aria-labelledby="tk-new">
        <form onSubmit={create} noValidate className="inline-form" data-testid="token-form">
          <h2 id="tk-new" className="inline-form__title">{t('tokens.new')}</h2>
          <TextField label={t('tokens.name')} hint={t('tokens.nameHint')} value={name} onChange={(e) => setName(e.target.value)} error={fe['name']} maxLength={100} data-testid="token-name" />
          <SelectField label={t('tokens.expiry')} value={days} onChange={(e) => setDays(e.target.value)} error={fe['expiresInDays']} data-testid="token-days">
            {EXPIRY.map((d) => (
              <option key={d} value={d}>{d ? t('tokens.days', { n: d }) : t('tokens.never')}</option>
            ))}
          </SelectField>
          <Button type="submit" variant="primary" busy={busy} data-testid="token-create">{t('tokens.create')}</Button>
        </form>
        <ErrorAlert error={error} fields={['name', 'expiresInDays']} />
      </section>
      <section className="card" aria-labelledby="tk-list">
        <h2 id="tk-list">{t('tokens.listTitle')}</h2>
        <ErrorAlert error={list.error} />
        {list.loading && !list.data && <Loading />}
        {list.data && list.data.length === 0 && <p className="empty">{t('tokens.none')}</p>}
        {list.data && list.data.length > 0 && (
          <div className="table-wrap">
            <table className="table table--cards" data-testid="tokens-table">
              <thead>
                <tr>
                  <th scope="col">{t('tokens.name')}</th>
                  <th scope="col">{t('tokens.prefix')}</th>
                  <th scope="col">{t('tokens.created')}</th>
                  <th scope="col">{t('tokens.lastUsed')}</th>
                  <th scope="col">{t('tokens.expires')}</th>
                  <th scope="col"><span className="sr-only">{t('common.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((tk) => (
                  <tr key={tk.id} data-testid="token-row">
                    <td data-label={t('tokens.name')} className="strong">{tk.name}</td>
                    <td data-label={t('tokens.prefix')}><code>{tk.prefix}…</code></td>
                    <td data-label={t('tokens.created')}>{formatDateTime(tk.createdAt, locale, tz)}</td>
                    <td data-label={t('tokens.lastUsed')}>{tk.lastUsedAt ? formatDateTime(tk.lastUsedAt, locale, tz) : <span className="muted">{t('tokens.neverUsed')}</span>}</td>
                    <td data-label={t('tokens.expires')}>
                      {tk.expiresAt ? formatDateTime(tk.expiresAt, locale, tz) : <span className="muted">{t('tokens.never')}</span>}
                      {isExpired(tk) && <> <Badge tone="red">{t('tokens.expired')}</Badge></>}
                    </td>
                    <td className="td-actions">
                      <ConfirmButton
                        label={t('tokens.revoke')}
                        confirmLabel={t('tokens.revokeConfirm')}
                        testId="token-revoke"
                        onConfirm={async () => {
                          setError(null);
                          try {
                            await api.revokeToken(tk.id);
                            if (created?.token.id === tk.id) setCreated(null);
                            setMessage(t('tokens.revoked', { name: tk.name }));
                            await list.reload();
                          } catch (err) {
                            setError(err);
                          }
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
