import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../api/api-context.js';
import { useI18n } from '../../i18n/i18n.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Loading, Notice } from '../../ui/status.js';
import { useCan } from '../session/session.js';
import { SiteForm } from './site-form.js';

/** Every site, and a form to create one (owners). */
export function SitesPage() {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const canCreate = useCan('admin:manage');
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: ({ settings, siteKey }: { settings: Parameters<typeof api.updateSite>[1]; siteKey: string }) =>
      api.createSite({ ...settings, siteKey }),
    onSuccess: async () => {
      setFormKey((key) => key + 1);
      await queries.invalidateQueries({ queryKey: ['sites'] });
    },
  });
  return (
    <Page title={t('sites.title')}>
      {sites.isPending ? <Loading /> : null}
      {sites.error ? <ErrorNotice error={sites.error} /> : null}
      <ul className="cards">
        {(sites.data ?? []).map((site) => (
          <li key={site.siteKey} className="card">
            <h2>{site.settings.name}</h2>
            <p>
              <code>{site.siteKey}</code>
            </p>
            <Link to={`/sites/${site.siteKey}/settings`}>
              {t('sites.open')}
              <span className="visually-hidden"> {site.settings.name}</span>
            </Link>
          </li>
        ))}
      </ul>
      {canCreate ? (
        <section aria-labelledby="create-site">
          <h2 id="create-site">{t('sites.create')}</h2>
          {create.error ? <ErrorNotice error={create.error} /> : null}
          {create.isSuccess ? <Notice tone="success">{t('sites.created')}</Notice> : null}
          <SiteForm
            key={formKey}
            initial={{}}
            withKey
            submitLabel={t('sites.create')}
            onSubmit={(settings, siteKey) => create.mutateAsync({ settings, siteKey }).catch(() => undefined)}
          />
        </section>
      ) : null}
    </Page>
  );
}
