// Live readability of the explanation: the section being written with its long sentences, legal
// wording and passive-heavy sentences highlighted, each with a suggestion, and the whole explanation's score.
import { useEffect, useState } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import { Badge } from '../../components/ui.tsx';
import { scoreReadability } from './api.ts';
import type { Readability, ReadabilityIssue } from './api.ts';
import { useRegT } from './messages.ts';

export interface PanelField { key: string; label: string; text: string }

const DEBOUNCE_MS = 450;

const tone = (label: Readability['label']) => (label === 'Mudah' ? 'green' : label === 'Sedang' ? 'amber' : 'red');

const sentenceMark: CSSProperties = { background: '#fff1c2', borderRadius: 2 };
const jargonMark: CSSProperties = { background: '#fde2e0', textDecoration: 'underline wavy #b3261e', textUnderlineOffset: 3, fontWeight: 600 };

/** The text with each issue's span marked (sentences shaded, jargon underlined). */
function Highlighted({ text, issues }: { text: string; issues: ReadabilityIssue[] }) {
  const cuts = [...new Set([0, text.length, ...issues.flatMap((i) => [i.start, i.end])])].filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);
  const parts: ReactNode[] = [];
  for (let k = 0; k < cuts.length - 1; k++) {
    const a = cuts[k]!;
    const b = cuts[k + 1]!;
    const covering = issues.filter((i) => i.start <= a && i.end >= b);
    const piece = text.slice(a, b);
    if (covering.length === 0) {
      parts.push(piece);
      continue;
    }
    const jargon = covering.some((i) => i.kind === 'jargon');
    const style = { ...(covering.some((i) => i.kind !== 'jargon') ? sentenceMark : {}), ...(jargon ? jargonMark : {}) };
    parts.push(<mark key={a} style={style} data-testid={jargon ? 'read-mark-jargon' : 'read-mark-sentence'} title={covering.map((i) => i.suggestion).join(' · ')}>{piece}</mark>);
  }
  return <div className="pre-wrap" style={{ background: '#fff', border: '1px solid var(--c-border)', borderRadius: 6, padding: '0.5rem 0.6rem', maxHeight: '16rem', overflow: 'auto' }} data-testid="read-highlighted">{parts}</div>;
}

function useReadability(text: string): { result: Readability | null; failed: boolean } {
  const [result, setResult] = useState<Readability | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (text.trim() === '') {
      setResult(null);
      setFailed(false);
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      scoreReadability(text).then(
        (r) => { if (!cancelled) { setResult(r); setFailed(false); } },
        () => { if (!cancelled) setFailed(true); },
      );
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [text]);
  return { result: text.trim() === '' ? null : result, failed };
}

function Score({ result, testId }: { result: Readability; testId: string }) {
  const { rt } = useRegT();
  if (result.score === null) return null;
  return (
    <p style={{ margin: '0.25rem 0' }} data-testid={testId}>
      <Badge tone={tone(result.label)}>{result.label}</Badge>{' '}
      <strong>{rt('read.score', { score: result.score })}</strong>
      <span className="muted small"> · {rt('read.stats', { sentences: result.stats.sentences, wps: result.stats.wordsPerSentence })}</span>
    </p>
  );
}

export function ReadabilityPanel({ fields, active }: { fields: PanelField[]; active: string }) {
  const { rt, locale } = useRegT();
  const current = fields.find((f) => f.key === active) ?? fields[0];
  const activeText = current?.text ?? '';
  const overallText = fields.map((f) => f.text.trim()).filter((t) => t !== '').join('\n\n');
  const one = useReadability(activeText);
  const all = useReadability(overallText);

  return (
    <aside className="card" aria-labelledby="read-title" data-testid="readability-panel" aria-live="polite">
      <h2 id="read-title">{rt('read.title')}</h2>
      {overallText === '' && <p className="muted">{rt('read.empty')}</p>}
      {all.result && (
        <>
          <h3 className="small muted" style={{ margin: 0 }}>{rt('read.overall')}</h3>
          <Score result={all.result} testId="read-overall" />
        </>
      )}
      {current && activeText.trim() !== '' && (
        <>
          <h3 className="small muted" style={{ margin: '0.75rem 0 0' }}>{rt('read.field', { field: current.label })}</h3>
          {one.result && (
            <>
              <Score result={one.result} testId="read-active" />
              <Highlighted text={activeText} issues={one.result.issues} />
              {one.result.issues.length === 0 ? (
                <p className="ok-line" data-testid="read-no-issues">{rt('read.noIssues')}</p>
              ) : (
                <ul className="notes" style={{ color: 'inherit', marginTop: '0.5rem' }} data-testid="read-issues">
                  {one.result.issues.map((i) => (
                    <li key={`${i.kind}-${i.start}-${i.end}`} data-testid={`read-issue-${i.kind}`}>
                      <strong>{rt(`read.kind.${i.kind}`)}</strong>{i.kind === 'jargon' && !i.message[locale].includes(i.text) ? <> “{i.text}”</> : null}: {i.message[locale]}
                      {!i.message[locale].includes(i.suggestion) && <div className="small">{rt('read.suggest', { s: i.suggestion })}</div>}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </>
      )}
      {(one.failed || all.failed) && <p className="muted small">{rt('read.failed')}</p>}
      <p className="muted small" style={{ marginTop: '0.75rem' }}>{rt('read.about')}</p>
    </aside>
  );
}
