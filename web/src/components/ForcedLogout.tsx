import { useState } from 'react';
import { useT } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { Button, ErrorAlert } from './ui.tsx';

/** "Keluar" on the screens shown before the app (forced password change, forced 2FA). */
export function ForcedLogout() {
  const { t } = useT();
  const { logout } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <Button
        variant="link"
        small
        busy={busy}
        data-testid="forced-logout"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await logout(false);
          } catch (err) {
            setError(err);
            setBusy(false);
          }
        }}
      >
        {t('menu.logout')}
      </Button>
      {error !== null && (
        <div className="auth-card__error">
          <ErrorAlert error={error} testId="logout-error" />
        </div>
      )}
    </>
  );
}
