import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.js';
import { useI18n } from '../i18n/i18n.js';

/** "Demo data": shown on results and the privacy report when the site view says its figures are the demo's generated ones. */
export function DemoDataBadge({ site, demoData }: { readonly site: string; readonly demoData?: boolean | undefined }) {
  const { t } = useI18n();
  const api = useApi();
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  const marked = demoData ?? sites.data?.find((item) => item.siteKey === site)?.demoData ?? false;
  if (!marked) return null;
  return (
    <p className="notice notice-warning" data-testid="demo-data">
      <span className="badge badge-warning">{t('common.demoData')}</span> {t('common.demoDataBody')}
    </p>
  );
}
