import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.js';
import { formatPercent, formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { ErrorNotice } from '../../ui/status.js';
import { useCan } from '../session/session.js';

/**
 * A bandit's proposed weights on a site whose owner approves every change of traffic: what would
 * change and why, with approve and dismiss for owners (both audited on the server).
 */
export function BanditProposal({ site, experience }: { readonly site: string; readonly experience: string }) {
  const { t, language } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const isOwner = useCan('admin:manage');
  const proposal = useQuery({
    queryKey: ['bandit-proposal', site, experience],
    queryFn: () => api.banditProposal(site, experience),
  });
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'dismiss') => api.decideBanditProposal(site, experience, decision),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['bandit-proposal', site, experience] }),
  });
  const pending = proposal.data?.proposal;
  if (pending === undefined || pending === null) return null;
  return (
    <section aria-labelledby="proposal-title" className="notice notice-warning" data-testid="bandit-proposal">
      <h2 id="proposal-title">{t('results.proposal.title')}</h2>
      <p>{t('results.proposal.body', { at: formatTime(pending.ranAt, language) })}</p>
      <ul>
        {Object.entries(pending.weights).map(([variant, weight]) => (
          <li key={variant}>
            {variant}: {formatPercent(weight, language)}
          </li>
        ))}
      </ul>
      {pending.why === undefined ? null : <p className="hint">{pending.why}</p>}
      {decide.error ? <ErrorNotice error={decide.error} /> : null}
      {isOwner ? (
        <div className="row">
          <button type="button" className="primary" onClick={() => decide.mutate('approve')}>
            {t('results.proposal.approve')}
          </button>
          <button type="button" onClick={() => decide.mutate('dismiss')}>
            {t('results.proposal.dismiss')}
          </button>
        </div>
      ) : (
        <p className="hint">{t('results.proposal.ownersOnly')}</p>
      )}
    </section>
  );
}
