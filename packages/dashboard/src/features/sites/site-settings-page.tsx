import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useApi } from '../../api/api-context.js';
import { useI18n } from '../../i18n/i18n.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Loading, Notice } from '../../ui/status.js';
import { useCan } from '../session/session.js';
import { SiteForm } from './site-form.js';
import { siteSnippet } from './snippet.js';
import { WebhooksSection } from './webhooks-section.js';

async function publicKey(siteKey: string): Promise<unknown> {
  const response = await window.fetch(`/v1/sites/${encodeURIComponent(siteKey)}/keys`);
  if (!response.ok) return undefined;
  const body = (await response.json()) as { keys?: unknown[] };
  return body.keys?.[0];
}

/** A site's settings, its snippet with the pinned signing key, and its webhooks. */
export function SiteSettingsPage() {
  const { site = '' } = useParams();
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const canManage = useCan('admin:manage');
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  const key = useQuery({ queryKey: ['site-key', site], queryFn: () => publicKey(site) });
  const [copied, setCopied] = useState(false);
  const save = useMutation({
    mutationFn: (settings: Parameters<typeof api.updateSite>[1]) => api.updateSite(site, settings),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['sites'] }),
  });
  const current = sites.data?.find((item) => item.siteKey === site);
  const snippet = siteSnippet(window.location.origin, site, key.data, current?.settings.consentSource);
  return (
    <Page title={t('sites.settingsTitle', { site })}>
      {sites.isPending ? <Loading /> : null}
      {sites.error ? <ErrorNotice error={sites.error} /> : null}
      <section aria-labelledby="snippet-title">
        <h2 id="snippet-title">{t('sites.snippet')}</h2>
        <p className="hint">{t('sites.snippetHint')}</p>
        <pre className="snippet" data-testid="snippet">
          {snippet}
        </pre>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(snippet).then(
              () => setCopied(true),
              () => undefined,
            )
          }
        >
          {t('common.copy')}
        </button>
        {copied ? <Notice tone="success">{t('common.copied')}</Notice> : null}
      </section>
      {current === undefined ? null : (
        <section aria-labelledby="settings-title">
          <h2 id="settings-title">{t('nav.settings')}</h2>
          {save.error ? <ErrorNotice error={save.error} /> : null}
          {save.isSuccess ? <Notice tone="success">{t('common.saved')}</Notice> : null}
          <fieldset disabled={!canManage} className="plain">
            <SiteForm
              initial={current.settings}
              withKey={false}
              submitLabel={t('common.save')}
              onSubmit={(settings) => save.mutateAsync(settings).catch(() => undefined)}
            />
          </fieldset>
        </section>
      )}
      {canManage ? <WebhooksSection site={site} /> : null}
    </Page>
  );
}
