import type { ExperienceDraft } from '@candor/schema';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { useI18n } from '../../i18n/i18n.js';
import { FieldGroup, TextField } from '../../ui/form-controls.js';

/** The page URL to open, or why it cannot be: it must sit on one of the site's allowed origins. */
export function editorPageUrl(
  url: string,
  allowedOrigins: readonly string[],
): { url: URL } | { problem: 'otherOrigin' } {
  try {
    const parsed = new URL(url);
    return allowedOrigins.includes(parsed.origin) ? { url: parsed } : { problem: 'otherOrigin' };
  } catch {
    return { problem: 'otherOrigin' };
  }
}

/**
 * "Edit on page": mints a 15-minute editor token bound to the page's origin and opens the page with
 * `#candor-editor=<token>`, where the site's own Candor script loads the visual editor.
 */
export function EditOnPage({
  site,
  experience,
}: {
  readonly site: string;
  readonly experience: ExperienceDraft | undefined;
}) {
  const { t } = useI18n();
  const api = useApi();
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  const origins = sites.data?.find((item) => item.siteKey === site)?.settings.allowedOrigins ?? [];
  const [url, setUrl] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const pageUrl = url ?? (origins[0] === undefined ? '' : `${origins[0]}/`);
  if (experience === undefined) return <p className="hint">{t('editOnPage.saveFirst')}</p>;
  if (origins.length === 0) return <p className="hint">{t('editOnPage.noOrigin')}</p>;
  const open = async (variant: string): Promise<void> => {
    const target = editorPageUrl(pageUrl, origins);
    if ('problem' in target) {
      setError(t('editOnPage.otherOrigin', { origins: origins.join(', ') }));
      return;
    }
    setError(undefined);
    // Open the tab inside the click (popup blockers), then point it at the page once the token is here.
    const tab = window.open('about:blank', '_blank');
    try {
      const { token } = await api.mintEditorToken(site, {
        origin: target.url.origin,
        experience: experience.id,
        variant,
      });
      target.url.hash = `candor-editor=${token}`;
      if (tab) {
        tab.opener = null;
        tab.location.href = target.url.href;
      } else window.location.assign(target.url.href);
    } catch (failure) {
      tab?.close();
      setError((failure as Error).message);
    }
  };
  return (
    <FieldGroup legend={t('editOnPage.title')}>
      <p className="hint">{t('editOnPage.hint')}</p>
      <TextField
        label={t('editOnPage.url')}
        type="url"
        value={pageUrl}
        list="candor-editor-origins"
        onChange={(event) => setUrl(event.target.value)}
        error={error}
      />
      <datalist id="candor-editor-origins">
        {origins.map((origin) => (
          <option key={origin} value={`${origin}/`} />
        ))}
      </datalist>
      <div className="row">
        {experience.variants.map((variant) => (
          <button key={variant.id} type="button" onClick={() => void open(variant.id)}>
            {t('editOnPage.open', { variant: variant.name })}
          </button>
        ))}
      </div>
    </FieldGroup>
  );
}
