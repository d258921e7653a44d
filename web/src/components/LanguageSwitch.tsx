import { useT } from '../i18n.tsx';
import type { Locale } from '../api.ts';

const LANGS: { id: Locale; short: string; long: string }[] = [
  { id: 'id', short: 'ID', long: 'Bahasa Indonesia' },
  { id: 'en', short: 'EN', long: 'English' },
];

export function LanguageSwitch({ compact }: { compact?: boolean }) {
  const { locale, setLocale, t } = useT();
  return (
    <div className={`lang-switch${compact ? ' lang-switch--compact' : ''}`} role="group" aria-label={t('menu.language')}>
      {LANGS.map((l) => (
        <button
          key={l.id}
          type="button"
          className="lang-switch__btn"
          aria-pressed={locale === l.id}
          lang={l.id}
          title={l.long}
          onClick={() => setLocale(l.id)}
          data-testid={`lang-${l.id}`}
        >
          {compact ? l.short : l.long}
        </button>
      ))}
    </div>
  );
}
