import { useT } from '../i18n.tsx';
import { isAnyAdmin, useSession } from '../session.tsx';
import { Link } from '../router.tsx';
import { useFocusHeading } from '../hooks.ts';
import { Badge, PageHeader } from '../components/ui.tsx';
import { KIND_KEYS } from './Units.tsx';
import { ROLE_KEYS } from './Users.tsx';
import type { MessageKey } from '../i18n.tsx';

const TILES: { to: string; title: MessageKey; desc: MessageKey; adminOnly?: boolean }[] = [
  { to: '/units', title: 'nav.units', desc: 'home.unitsDesc' },
  { to: '/users', title: 'nav.users', desc: 'home.usersDesc', adminOnly: true },
  { to: '/content-settings', title: 'nav.contentSettings', desc: 'home.contentSettingsDesc', adminOnly: true },
  { to: '/security', title: 'menu.security', desc: 'home.securityDesc' },
  { to: '/tokens', title: 'nav.tokens', desc: 'home.tokensDesc' },
  { to: '/audit', title: 'nav.audit', desc: 'home.auditDesc' },
];

export function Home() {
  const { t } = useT();
  const { me } = useSession();
  const admin = isAnyAdmin(me);
  useFocusHeading();
  return (
    <div data-testid="home">
      <PageHeader title={t('home.hello', { name: me.user.name })} description={t('home.desc')} />
      <section className="card" aria-labelledby="mine-h">
        <h2 id="mine-h">{t('home.myUnits')}</h2>
        {me.memberships.length === 0 ? (
          <p className="empty">{t('home.noUnits')}</p>
        ) : (
          <ul className="list-rows" data-testid="my-memberships">
            {me.memberships.map((m) => (
              <li key={m.unitId} className="list-rows__item">
                <div className="list-rows__main">
                  <Link to={`/units?unit=${encodeURIComponent(m.unitId)}`} className="strong">{m.unitName}</Link>
                  <div className="muted small">{t(KIND_KEYS[m.unitKind] ?? 'kind.agency')}</div>
                </div>
                <Badge tone={m.role === 'admin' ? 'blue' : 'neutral'}>{t(ROLE_KEYS[m.role] ?? 'role.viewer')}</Badge>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="tiles">
        {TILES.filter((x) => !x.adminOnly || admin).map((x) => (
          <Link key={x.to} to={x.to} className="tile">
            <span className="tile__title">{t(x.title)}</span>
            <span className="tile__desc">{t(x.desc)}</span>
          </Link>
        ))}
      </div>
    </div>
  );
}
