import { estimateStrength } from '../strength.ts';
import { useT } from '../i18n.tsx';
import type { MessageKey } from '../i18n.tsx';

const LABELS: MessageKey[] = ['pw.s0', 'pw.s1', 'pw.s2', 'pw.s3', 'pw.s4'];

export function StrengthMeter({ password, userInputs, id }: { password: string; userInputs: string[]; id: string }) {
  const { t } = useT();
  const s = estimateStrength(password, userInputs);
  const tips: string[] = [];
  if (password) {
    if (s.length < 10) tips.push(t('pw.tipLength'));
    if (s.classes < 3 && s.length < 16) tips.push(t('pw.tipVariety'));
    if (s.common) tips.push(t('pw.tipCommon'));
  }
  return (
    <div className={`strength strength--${s.score}`} id={id} data-testid="strength">
      <div className="strength__bar" aria-hidden="true">
        {[0, 1, 2, 3].map((i) => (
          <span key={i} className={i < s.score ? 'on' : ''} />
        ))}
      </div>
      <div className="strength__text" aria-live="polite">
        {password ? (
          <>
            <strong>{t('pw.strength')}: {t(LABELS[s.score] ?? 'pw.s0')}</strong>
            {tips.length > 0 && <span> — {tips.join(' ')}</span>}
          </>
        ) : (
          <span>{t('pw.rules')}</span>
        )}
      </div>
    </div>
  );
}
