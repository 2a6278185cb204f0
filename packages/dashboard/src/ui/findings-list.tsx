import type { Finding } from '@candor/schema';
import { useI18n } from '../i18n/i18n.js';

/** Lint findings with severity, message and fix; warnings can carry an acknowledgement checkbox. */
export function FindingsList({
  findings,
  acknowledged,
  onAcknowledge,
}: {
  readonly findings: readonly Finding[];
  readonly acknowledged?: ReadonlySet<string>;
  readonly onAcknowledge?: (fingerprint: string, checked: boolean) => void;
}) {
  const { t } = useI18n();
  if (findings.length === 0) return <p className="muted">{t('publish.clean')}</p>;
  return (
    <ul className="findings">
      {findings.map((finding) => (
        <li key={finding.fingerprint} className={`finding finding-${finding.severity}`} data-code={finding.code}>
          <span className={`badge badge-${finding.severity}`}>{finding.severity}</span>{' '}
          <span className="finding-message">{finding.message}</span>
          <div className="hint">{t('publish.fix', { hint: finding.fixHint })}</div>
          <code className="code-tag">{finding.fingerprint}</code>
          {finding.severity === 'warning' && onAcknowledge !== undefined ? (
            <label className="control-inline ack">
              <input
                type="checkbox"
                checked={acknowledged?.has(finding.fingerprint) ?? false}
                onChange={(event) => onAcknowledge(finding.fingerprint, event.target.checked)}
              />{' '}
              {t('publish.acknowledge')}
              <span className="visually-hidden">: {finding.fingerprint}</span>
            </label>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
