// "Ceritakan" (tell this) on an indicator: Siar writes a draft post from the result, with the
// performance card as pictures, and the post opens for review.
import { useState } from 'react';
import { request } from '../../api.ts';
import { ErrorAlert, Button } from '../../components/ui.tsx';
import { useT } from '../../i18n.tsx';
import { navigate } from '../../router.tsx';

const words = {
  id: { label: 'Ceritakan', name: (n: string) => `Ceritakan: ${n}`, busy: 'Menyiapkan draf dan infografik…' },
  en: { label: 'Tell this', name: (n: string) => `Tell this: ${n}`, busy: 'Preparing the draft and infographic…' },
};

export function TellButton({ indicator }: { indicator: { id: string; name: string } }) {
  const { locale } = useT();
  const w = words[locale === 'en' ? 'en' : 'id'];
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const tell = async () => {
    setBusy(true);
    setError(null);
    try {
      const { postId } = await request<{ postId: string }>('POST', `/kinerja/indicators/${indicator.id}/tell`);
      navigate(`/posts/${postId}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <>
      <Button small busy={busy} onClick={() => void tell()} aria-label={w.name(indicator.name)} title={busy ? w.busy : undefined} data-testid="kinerja-tell">{w.label}</Button>
      <ErrorAlert error={error} testId="kinerja-tell-error" />
    </>
  );
}
