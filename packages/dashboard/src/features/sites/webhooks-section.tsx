import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import { formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { CheckboxField, FieldGroup, TextField } from '../../ui/form-controls.js';
import { ErrorNotice, Notice } from '../../ui/status.js';

const EVENTS = ['snapshot.published', 'snapshot.rolled_back', 'experience.changed', 'measurement.refused'] as const;

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
            <DeliveryLog site={site} hookId={hook.id} url={hook.url} />
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

/** A webhook's recent deliveries, loaded when opened; failed and refused ones can be sent again. */
function DeliveryLog({ site, hookId, url }: { readonly site: string; readonly hookId: string; readonly url: string }) {
  const { t, language } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const log = useQuery({
    queryKey: ['webhook-deliveries', site, hookId],
    queryFn: () => api.webhookDeliveries(site, hookId),
    enabled: open,
    // While something is still being retried, keep the log current.
    refetchInterval: (query) => (query.state.data?.some((delivery) => delivery.status === 'pending') ? 1000 : false),
  });
  const retry = useMutation({
    mutationFn: (delivery: string) => api.retryWebhookDelivery(site, hookId, delivery),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['webhook-deliveries', site, hookId] }),
  });
  return (
    <details onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        {t('webhooks.deliveries')}
        <span className="visually-hidden"> {url}</span>
      </summary>
      {log.error ? <ErrorNotice error={log.error} /> : null}
      {retry.error ? <ErrorNotice error={retry.error} /> : null}
      {log.data?.length === 0 ? <p className="muted">{t('webhooks.noDeliveries')}</p> : null}
      {log.data === undefined || log.data.length === 0 ? null : (
        <table data-testid={`deliveries-${hookId}`}>
          <thead>
            <tr>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('webhooks.event')}</th>
              <th scope="col">{t('webhooks.status')}</th>
              <th scope="col">{t('webhooks.attempts')}</th>
              <th scope="col">{t('webhooks.lastError')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((delivery) => (
              <tr key={delivery.id}>
                <td>{formatTime(delivery.createdAt, language)}</td>
                <td>
                  <code>{delivery.event}</code>
                </td>
                <td>{t(`webhooks.status.${delivery.status}`)}</td>
                <td>{delivery.attempts}</td>
                <td>{delivery.lastError ?? ''}</td>
                <td>
                  {delivery.status === 'failed' || delivery.status === 'refused' ? (
                    <button type="button" disabled={retry.isPending} onClick={() => retry.mutate(delivery.id)}>
                      {t('webhooks.retry')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
