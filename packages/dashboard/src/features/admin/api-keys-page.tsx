import { Permission } from '@candor/schema';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import { formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { CheckboxField, FieldGroup, TextField } from '../../ui/form-controls.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Loading, Notice } from '../../ui/status.js';

/** API keys: create (the secret is shown once) and revoke. */
export function ApiKeysPage() {
  const { t, language } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: api.apiKeys });
  const [secret, setSecret] = useState<string | undefined>();
  const refresh = () => queries.invalidateQueries({ queryKey: ['api-keys'] });
  const create = useMutation({
    mutationFn: ({ name, scopes }: { name: string; scopes: Permission[] }) => api.createApiKey(name, scopes),
    onSuccess: async (created) => {
      setSecret(created.key);
      await refresh();
    },
  });
  const revoke = useMutation({ mutationFn: api.revokeApiKey, onSuccess: refresh });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const scopes = Permission.options.filter((scope) => data.get(scope) === 'on');
    create.mutate({ name: String(data.get('name') ?? ''), scopes });
  };
  return (
    <Page title={t('apiKeys.title')}>
      {keys.isPending ? <Loading /> : null}
      {keys.error ? <ErrorNotice error={keys.error} /> : null}
      {secret === undefined ? null : (
        <Notice tone="warning">
          {t('apiKeys.shownOnce')} <code data-testid="api-key-secret">{secret}</code>
        </Notice>
      )}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('apiKeys.name')}</th>
            <th scope="col">{t('apiKeys.scopes')}</th>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('apiKeys.status')}</th>
          </tr>
        </thead>
        <tbody>
          {(keys.data ?? []).map((key) => (
            <tr key={key.id}>
              <td>
                {key.name} <code>{key.id}</code>
              </td>
              <td>{key.scopes.join(', ')}</td>
              <td>{formatTime(key.createdAt, language)}</td>
              <td>
                {key.revokedAt === null ? (
                  <>
                    {t('apiKeys.active')}{' '}
                    <button type="button" onClick={() => revoke.mutate(key.id)}>
                      {t('apiKeys.revoke')}
                      <span className="visually-hidden"> {key.name}</span>
                    </button>
                  </>
                ) : (
                  t('apiKeys.revoked')
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('apiKeys.create')}</h2>
      {create.error ? <ErrorNotice error={create.error} /> : null}
      {revoke.error ? <ErrorNotice error={revoke.error} /> : null}
      <form onSubmit={submit} className="stack">
        <TextField label={t('apiKeys.name')} name="name" required />
        <FieldGroup legend={t('apiKeys.scopes')}>
          {Permission.options.map((scope) => (
            <CheckboxField key={scope} label={scope} name={scope} defaultChecked={scope === 'read'} />
          ))}
        </FieldGroup>
        <button type="submit" className="primary">
          {t('apiKeys.create')}
        </button>
      </form>
    </Page>
  );
}
