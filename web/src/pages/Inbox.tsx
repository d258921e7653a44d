// Approval inbox: posts waiting for the caller's decision, serta-merta first.
import { api } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useFocusHeading, useLoad } from '../hooks.ts';
import { Link } from '../router.tsx';
import { formatDateTime } from '../format.ts';
import { formatLocal } from '../content.ts';
import { ErrorAlert, Loading, PageHeader } from '../components/ui.tsx';
import { UrgentMark } from './Posts.tsx';

export function Inbox() {
  const { t, locale, tz } = useT();
  useFocusHeading();
  const { data, error } = useLoad(() => api.inbox(), []);
  const items = data ? [...data.items].sort((a, b) => Number(b.urgent) - Number(a.urgent)) : undefined;
  return (
    <>
      <PageHeader title={t('inbox.title')} description={t('inbox.desc')} />
      <ErrorAlert error={error} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p className="empty" data-testid="inbox-empty">{t('inbox.none')}</p>}
      {items && items.length > 0 && (
        <ul className="card list-rows" data-testid="inbox">
          {items.map((p) => (
            <li key={p.id} className={`list-rows__item${p.urgent ? ' list-rows__item--urgent' : ''}`} data-testid="inbox-item" data-id={p.id}>
              <div className="list-rows__main">
                {p.urgent && <UrgentMark />} <Link to={`/posts/${p.id}`} className="strong" data-testid="inbox-open">{p.title}</Link>
                <div className="muted small">
                  {p.unit.name} · {p.author.name} · {t('inbox.tier', { n: p.tier, of: p.tiers })}
                  {p.submittedAt && <> · {t('inbox.submitted', { when: formatDateTime(p.submittedAt, locale, tz) })}</>}
                </div>
                {p.scheduled && <div className="small">{t('inbox.planned', { when: formatLocal(p.scheduled.local, p.scheduled.zoneName, locale) })}</div>}
              </div>
              <div className="list-rows__actions">
                <Link to={`/posts/${p.id}`} className="btn btn--small btn--primary">{t('inbox.review')}</Link>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
