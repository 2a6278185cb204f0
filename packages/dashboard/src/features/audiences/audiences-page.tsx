import { AudienceDraft } from '@candor/schema';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import type { WholeDraft } from '@candor/schema';
import { useI18n } from '../../i18n/i18n.js';
import { DraftEntityPage } from '../drafts/draft-entity-page.js';
import { TextArea, TextField } from '../../ui/form-controls.js';
import { FindingsList } from '../../ui/findings-list.js';
import { EditorActions, useJustSaved } from '../drafts/editor-actions.js';
import { issueMap } from '../drafts/entity-workspace.js';
import { liveFindings } from '../drafts/live-lint.js';
import { useDeleteEntity, useSaveEntity } from '../drafts/use-draft.js';
import { ExplanationCard } from '../preview/explanation-card.js';
import { ConditionBuilder } from './condition-builder.js';
import { fromCondition, toCondition, type RuleGroup } from './condition-model.js';
import { estimateExplanation } from './estimate.js';

/** Audiences: a visual builder and the JSON side by side, with live lint and the explanation visitors would read. */
export function AudiencesPage() {
  const { t } = useI18n();
  return (
    <DraftEntityPage
      title={t('audiences.title')}
      kind="audiences"
      lintEntity="audience"
      select={(draft) => draft.audiences}
      idOf={(audience) => audience.id}
      labelOf={(audience) => audience.name}
      editor={({ site, id, draft, current }) => (
        <AudienceEditor key={id} site={site} draft={draft} audience={current} />
      )}
    />
  );
}

function AudienceEditor({
  site,
  draft,
  audience,
}: {
  readonly site: string;
  readonly draft: WholeDraft;
  readonly audience: AudienceDraft | undefined;
}) {
  const { t, language } = useI18n();
  const api = useApi();
  const justSaved = useJustSaved();
  const { save, saveAndShow } = useSaveEntity(site, 'audiences');
  const { remove, confirmAndDelete } = useDeleteEntity(site, 'audiences');
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  const [id, setId] = useState(audience?.id ?? '');
  const [name, setName] = useState(audience?.name ?? '');
  const [condition, setCondition] = useState<Record<string, unknown>>(audience?.condition ?? {});
  const [text, setText] = useState(JSON.stringify(audience?.condition ?? {}, null, 2));
  const [jsonError, setJsonError] = useState<string | undefined>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Bumped when the JSON changes, so the builder's inputs re-read it; builder edits keep focus.
  const [builderVersion, setBuilderVersion] = useState(0);
  const group = useMemo(() => fromCondition(condition), [condition]);
  // Properties the editor does not show (added to the schema later) pass through unchanged.
  const candidate = { ...audience, id: id.trim(), name, condition };
  const findings = liveFindings(draft, 'audiences', candidate, audience?.id);
  const settings = sites.data?.find((item) => item.siteKey === site)?.settings;
  const estimate = useMemo(() => {
    if (group === undefined || candidate.id === '') return undefined;
    const siteInfo = {
      siteKey: site,
      name: settings?.name ?? site,
      defaultLanguage: settings?.defaultLanguage ?? 'en',
      policyVersion: settings?.policyVersion ?? '1',
      explainDefaults: true,
    } as const;
    return estimateExplanation(draft, candidate, group.rules, siteInfo, language, Date.now());
  }, [candidate.id, candidate.name, condition, draft, group, language, settings, site]);

  const fromBuilder = (next: RuleGroup) => {
    const built = toCondition(next);
    setCondition(built);
    setText(JSON.stringify(built, null, 2));
    setJsonError(undefined);
  };
  const fromJson = (next: string) => {
    setText(next);
    try {
      const parsed = JSON.parse(next) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        setJsonError(t('audiences.jsonNotObject'));
        return;
      }
      setCondition(parsed as Record<string, unknown>);
      setBuilderVersion((version) => version + 1);
      setJsonError(undefined);
    } catch (error) {
      setJsonError(t('audiences.jsonInvalid', { reason: error instanceof Error ? error.message : String(error) }));
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (jsonError !== undefined) return;
    const parsed = AudienceDraft.safeParse(candidate);
    if (!parsed.success) return setErrors(issueMap(parsed.error.issues));
    setErrors({});
    saveAndShow(parsed.data, parsed.data.id, audience?.id);
  };
  return (
    <form onSubmit={submit} className="stack" noValidate aria-label={t('audiences.title')}>
      <div className="grid">
        <TextField
          label={t('common.id')}
          value={id}
          onChange={(event) => setId(event.target.value)}
          error={errors['id']}
        />
        <TextField
          label={t('common.name')}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={errors['name']}
        />
      </div>
      <div className="split">
        <section aria-labelledby="builder-title">
          <h2 id="builder-title">{t('audiences.builder')}</h2>
          {group === undefined ? (
            <p className="notice notice-muted">{t('audiences.unrepresentable')}</p>
          ) : (
            <ConditionBuilder key={builderVersion} group={group} fields={draft.fields} onChange={fromBuilder} />
          )}
        </section>
        <section aria-labelledby="json-title">
          <h2 id="json-title">{t('audiences.json')}</h2>
          <TextArea
            label={t('audiences.json')}
            className="json"
            rows={12}
            spellCheck={false}
            value={text}
            hint={t('audiences.jsonHint')}
            error={jsonError}
            onChange={(event) => fromJson(event.target.value)}
            data-testid="condition-json"
          />
        </section>
      </div>
      <section aria-labelledby="findings-title">
        <h2 id="findings-title">{t('audiences.findings')}</h2>
        <div aria-live="polite">
          {findings.length === 0 ? (
            <p className="muted">{t('audiences.noFindings')}</p>
          ) : (
            <FindingsList findings={findings} />
          )}
        </div>
      </section>
      <section aria-labelledby="estimate-title">
        <h2 id="estimate-title">{t('audiences.estimate')}</h2>
        {estimate === undefined ? (
          <p className="muted">{t('audiences.estimateNone')}</p>
        ) : (
          <ExplanationCard explanation={estimate} />
        )}
      </section>
      <EditorActions
        saving={save.isPending}
        saved={save.isSuccess || justSaved}
        error={save.error ?? remove.error}
        validationCount={Object.keys(errors).length}
        onDelete={confirmAndDelete(audience?.id)}
      />
    </form>
  );
}
