import type { Explanation } from '@candor/core';
import { useI18n } from '../../i18n/i18n.js';

/** The "Why am I seeing this?" text exactly as core generates it for the visitor. */
export function ExplanationCard({ explanation }: { readonly explanation: Explanation }) {
  const { t } = useI18n();
  const { text } = explanation;
  return (
    <article
      className="explanation"
      lang={explanation.language}
      aria-label={t('preview.why')}
      data-testid="explanation"
    >
      <h3>{text.title}</h3>
      <p data-testid="main-reason">{text.mainReason}</p>
      {text.mattered === null ? null : <p>{text.mattered}</p>}
      {text.decidedBy === null ? null : <p>{text.decidedBy}</p>}
      {text.signals.length === 0 ? null : (
        <ul>
          {text.signals.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <p>{text.counterfactual}</p>
      {text.excluded.length === 0 ? null : (
        <ul className="muted">
          {text.excluded.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {text.proof === null ? null : <p className="hint">{text.proof}</p>}
      <p className="hint">{explanation.controls.map((control) => control.label).join(' · ')}</p>
    </article>
  );
}
