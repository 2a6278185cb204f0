import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import { useI18n } from '../../i18n/i18n.js';
import { CheckboxField, FieldGroup, TextField } from '../../ui/form-controls.js';
import { ErrorNotice, Notice } from '../../ui/status.js';

const EVENTS = ['snapshot.published', 'snapshot.rolled_back', 'experience.changed'] as const;

/** A site's webhook subscriptions; the signing secret is shown once. */
export function WebhooksSection({ site }: { readonly site: string }) {
  const { t } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const hooks = useQuery({ queryKey: ['webhooks', site], queryFn: () => api.webhooks(site) });
  const [secret, setSecret] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: (input: { url: string; events: (typeof EVENTS)[number][] }) => api.createWebhook(site, input),
    onSuccess: async (created) => {
      setSecret(created.secret);
      await queries.invalidateQueries({ queryKey: ['webhooks', site] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.deleteWebhook(site, id),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['webhooks', site] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const events = EVENTS.filter((name) => data.get(name) === 'on');
    create.mutate({ url: String(data.get('url') ?? ''), events });
  };
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t('webhooks.title')}</h2>
      {hooks.error ? <ErrorNotice error={hooks.error} /> : null}
      <ul>
        {(hooks.data ?? []).map((hook) => (
          <li key={hook.id}>
            <code>{hook.url}</code> — {hook.events.join(', ')}{' '}
            <button type="button" onClick={() => remove.mutate(hook.id)}>
              {t('common.delete')}
              <span className="visually-hidden"> {hook.url}</span>
            </button>
          </li>
        ))}
      </ul>
      {secret === undefined ? null : (
        <Notice tone="warning">
          {t('webhooks.secret')} <code>{secret}</code>
        </Notice>
      )}
      {create.error ? <ErrorNotice error={create.error} /> : null}
      <form onSubmit={submit} className="stack">
        <TextField label={t('webhooks.url')} name="url" type="url" required />
        <FieldGroup legend={t('webhooks.events')}>
          {EVENTS.map((name) => (
            <CheckboxField key={name} label={name} name={name} defaultChecked={name === 'snapshot.published'} />
          ))}
        </FieldGroup>
        <button type="submit">{t('common.create')}</button>
      </form>
    </section>
  );
}
