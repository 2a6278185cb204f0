import type { AttributeValue, Snapshot } from '@candor/core';
import { siteLanguages, type FieldDraft } from '@candor/schema';
import type { Language } from '../../api/types.js';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useApi } from '../../api/api-context.js';
import { useI18n } from '../../i18n/i18n.js';
import { CheckboxField, FieldGroup, SelectField, TextField } from '../../ui/form-controls.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Loading } from '../../ui/status.js';
import { useDraft } from '../drafts/use-draft.js';
import { ExplanationCard } from './explanation-card.js';
import { draftSnapshot, runPreview } from './run-preview.js';

function toValue(field: FieldDraft, text: string): AttributeValue | undefined {
  if (text === '') return undefined;
  if (field.type === 'number') return Number(text);
  if (field.type === 'boolean') return text === 'true';
  if (field.type === 'string[]')
    return text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  return text;
}

/** Choose a sample profile, consent, GPC and language; see each slot's decision and its exact explanation. */
export function PreviewPage() {
  const { site = '' } = useParams();
  const { t, language: uiLanguage } = useI18n();
  const api = useApi();
  const draft = useDraft(site);
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  const history = useQuery({ queryKey: ['snapshots', site], queryFn: () => api.snapshots(site) });
  const liveVersion = history.data?.[0]?.version;
  const [source, setSource] = useState<'draft' | 'live'>('draft');
  const live = useQuery({
    queryKey: ['snapshot', site, liveVersion],
    queryFn: () => api.snapshot(site, liveVersion ?? 0),
    enabled: source === 'live' && liveVersion !== undefined,
  });
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [granted, setGranted] = useState<Record<string, boolean>>({});
  const [gpc, setGpc] = useState(false);
  const [language, setLanguage] = useState<Language>(uiLanguage);
  const [visitorId, setVisitorId] = useState('preview-visitor-1');
  const settings = sites.data?.find((item) => item.siteKey === site)?.settings;

  const snapshot: Snapshot | undefined = useMemo(() => {
    if (source === 'live') return live.data as Snapshot | undefined;
    if (draft.data === undefined) return undefined;
    return draftSnapshot(
      draft.data.draft,
      {
        siteKey: site,
        name: settings?.name ?? site,
        defaultLanguage: settings?.defaultLanguage ?? 'en',
        ...(settings === undefined ? {} : { languages: siteLanguages(settings) }),
        policyVersion: settings?.policyVersion ?? '1',
        explainDefaults: settings?.explainDefaults ?? true,
      },
      Date.now(),
    );
  }, [source, live.data, draft.data, settings, site]);

  const rows = useMemo(() => {
    if (snapshot === undefined) return [];
    const values: Record<string, AttributeValue> = {};
    for (const field of snapshot.fields as readonly FieldDraft[]) {
      const value = toValue(field, texts[field.key] ?? '');
      if (value !== undefined) values[field.key] = value;
    }
    const choices = Object.fromEntries(
      snapshot.purposes.map((purpose) => [
        purpose.id,
        purpose.class === 'essential' || (granted[purpose.id] ?? purpose.class === 'contextual'),
      ]),
    );
    return runPreview(snapshot, { values, granted: choices, gpc, language, visitorId }, Date.now());
  }, [snapshot, texts, granted, gpc, language, visitorId]);

  const fields = (snapshot?.fields ?? []) as readonly FieldDraft[];
  return (
    <Page title={t('preview.title')}>
      {draft.isPending ? <Loading /> : null}
      {draft.error ? <ErrorNotice error={draft.error} /> : null}
      <div className="split">
        <div className="stack">
          <SelectField
            label={t('preview.source')}
            value={source}
            onChange={(event) => setSource(event.target.value === 'live' ? 'live' : 'draft')}
            options={[
              { value: 'draft', label: t('preview.draft') },
              {
                value: 'live',
                label:
                  liveVersion === undefined ? `${t('preview.live')} (—)` : `${t('preview.live')} (v${liveVersion})`,
              },
            ]}
          />
          {source === 'live' && liveVersion === undefined ? <p className="muted">{t('preview.noLive')}</p> : null}
          <FieldGroup legend={t('preview.values')}>
            {fields.map((field) =>
              field.options !== undefined && field.type === 'string' ? (
                <SelectField
                  key={field.key}
                  label={`${field.label[language]} (${field.key})`}
                  value={texts[field.key] ?? ''}
                  onChange={(event) => setTexts({ ...texts, [field.key]: event.target.value })}
                  options={[
                    { value: '', label: '—' },
                    ...field.options.map((option) => ({ value: option.value, label: option.label[language] })),
                  ]}
                />
              ) : field.type === 'boolean' ? (
                <SelectField
                  key={field.key}
                  label={`${field.label[language]} (${field.key})`}
                  value={texts[field.key] ?? ''}
                  onChange={(event) => setTexts({ ...texts, [field.key]: event.target.value })}
                  options={[
                    { value: '', label: '—' },
                    { value: 'true', label: t('common.yes') },
                    { value: 'false', label: t('common.no') },
                  ]}
                />
              ) : (
                <TextField
                  key={field.key}
                  label={`${field.label[language]} (${field.key})`}
                  type={field.type === 'number' ? 'number' : 'text'}
                  value={texts[field.key] ?? ''}
                  onChange={(event) => setTexts({ ...texts, [field.key]: event.target.value })}
                />
              ),
            )}
          </FieldGroup>
          <FieldGroup legend={t('preview.consent')}>
            {(snapshot?.purposes ?? []).map((purpose) => (
              <CheckboxField
                key={purpose.id}
                label={`${purpose.name[language]} (${purpose.id})`}
                // Essential purposes cannot be refused; contextual ones are on unless the visitor objects.
                checked={purpose.class === 'essential' || (granted[purpose.id] ?? purpose.class === 'contextual')}
                disabled={purpose.class === 'essential'}
                onChange={(event) => setGranted({ ...granted, [purpose.id]: event.target.checked })}
              />
            ))}
          </FieldGroup>
          <CheckboxField label={t('preview.gpc')} checked={gpc} onChange={(event) => setGpc(event.target.checked)} />
          <SelectField
            label={t('preview.language')}
            value={language}
            onChange={(event) => setLanguage(event.target.value === 'zh-Hant' ? 'zh-Hant' : 'en')}
            options={[
              { value: 'en', label: 'English' },
              { value: 'zh-Hant', label: '繁體中文' },
            ]}
          />
          <TextField
            label={t('preview.visitorId')}
            value={visitorId}
            onChange={(event) => setVisitorId(event.target.value)}
          />
        </div>
        <div className="stack" aria-live="polite" data-testid="preview-results">
          {snapshot !== undefined && rows.length === 0 ? <p className="muted">{t('preview.noSlots')}</p> : null}
          {rows.map((row) => (
            <section key={row.slot} aria-label={t('preview.slot', { slot: row.slot })} className="stack">
              <h2>{t('preview.slot', { slot: row.slot })}</h2>
              <p data-testid={`slot-${row.slot}`}>
                {row.decision.variant === null
                  ? t('preview.default')
                  : t('preview.variant', { variant: `${row.decision.variant.name} (${row.decision.variant.id})` })}
                <span className="code-tag">{t('preview.reason', { reason: row.decision.reason })}</span>
              </p>
              <ExplanationCard explanation={row.explanation} />
            </section>
          ))}
        </div>
      </div>
    </Page>
  );
}
