// "Jelaskan ke publik": makes a draft post of the regulation's unit from its saved explanation (with
// the carousel pictures and the unit's channels) and opens it, for the person to check and submit.
import { useState } from 'react';
import { ErrorAlert, Button } from '../../components/ui.tsx';
import { navigate } from '../../router.tsx';
import { explainRegulation } from './api.ts';
import type { RegulationDetail } from './api.ts';
import { useRegT } from './messages.ts';

export function ExplainThis({ regulation, unsaved }: { regulation: RegulationDetail; unsaved: boolean }) {
  const { rt } = useRegT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const missing = regulation.missing.map((key) => rt(`field.${key}` as Parameters<typeof rt>[0]).split(' — ')[0]!);

  const explain = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await explainRegulation(regulation.id);
      navigate(`/posts/${answer.postId}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section className="card" data-testid="regulation-explain">
      <h2>{rt('explain.title')}</h2>
      <p className="muted small">{rt('explain.desc')}</p>
      {missing.length > 0 && <p className="small" data-testid="regulation-explain-missing">{rt('explain.missing', { fields: missing.join(', ') })}</p>}
      {unsaved && missing.length === 0 && <p className="small" data-testid="regulation-explain-unsaved">{rt('explain.saveFirst')}</p>}
      <Button variant="primary" busy={busy} disabled={unsaved || missing.length > 0} onClick={() => void explain()} data-testid="regulation-explain-do">{rt('explain.do')}</Button>
      <ErrorAlert error={error} testId="regulation-explain-error" />
    </section>
  );
}
