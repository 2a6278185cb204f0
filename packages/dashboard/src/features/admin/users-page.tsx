import { Role } from '@candor/schema';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../api/api-context.js';
import { formatTime } from '../../i18n/format-message.js';
import { useI18n } from '../../i18n/i18n.js';
import { SelectField, TextField } from '../../ui/form-controls.js';
import { Page } from '../../ui/page.js';
import { ErrorNotice, Loading, Notice } from '../../ui/status.js';
import { useSession } from '../session/session.js';

/** Admin users and their roles; owners add users. */
export function UsersPage() {
  const { t, language } = useI18n();
  const api = useApi();
  const queries = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: api.users });
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: api.createUser,
    onSuccess: async () => {
      setFormKey((key) => key + 1);
      await queries.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['users'] });
  const setRole = useMutation({ mutationFn: api.setUserRole, onSuccess: refresh });
  const remove = useMutation({ mutationFn: api.removeUser, onSuccess: refresh });
  const { state } = useSession();
  const myId = state.status === 'signed-in' ? state.me.id : undefined;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const role = Role.safeParse(data.get('role'));
    try {
      create.mutate({
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
        role: role.success ? role.data : 'viewer',
      });
    } catch (error) {
      create.reset();
      throw error;
    }
  };
  return (
    <Page title={t('users.title')}>
      <p className="hint">{t('users.roles')}</p>
      {users.isPending ? <Loading /> : null}
      {users.error ? <ErrorNotice error={users.error} /> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t('users.email')}</th>
            <th scope="col">{t('users.role')}</th>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((user) => (
            <tr key={user.id}>
              <td>{user.email}</td>
              <td>
                <select
                  aria-label={t('users.roleOf', { email: user.email })}
                  value={user.role}
                  disabled={setRole.isPending}
                  onChange={(event) => {
                    const role = Role.safeParse(event.currentTarget.value);
                    if (role.success) setRole.mutate({ id: user.id, role: role.data });
                  }}
                >
                  {Role.options.map((value) => (
                    <option key={value} value={value}>
                      {value}
                    </option>
                  ))}
                </select>
              </td>
              <td>{user.createdAt === undefined ? '' : formatTime(user.createdAt, language)}</td>
              <td>
                {user.id === myId ? (
                  t('users.you')
                ) : (
                  <button
                    type="button"
                    disabled={remove.isPending}
                    onClick={() => {
                      if (window.confirm(t('users.removeConfirm', { email: user.email }))) remove.mutate(user.id);
                    }}
                  >
                    {t('users.remove')}
                    <span className="visually-hidden"> {user.email}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {setRole.error ? <ErrorNotice error={setRole.error} /> : null}
      {remove.error ? <ErrorNotice error={remove.error} /> : null}
      <h2>{t('users.add')}</h2>
      {create.error ? <ErrorNotice error={create.error} /> : null}
      {create.isSuccess ? <Notice tone="success">{t('users.created')}</Notice> : null}
      <form key={formKey} onSubmit={submit} className="stack">
        <TextField label={t('users.email')} name="email" type="email" required />
        <SelectField
          label={t('users.role')}
          name="role"
          defaultValue="viewer"
          options={Role.options.map((value) => ({ value, label: value }))}
        />
        <TextField
          label={t('users.password')}
          name="password"
          type="password"
          minLength={12}
          required
          autoComplete="new-password"
        />
        <button type="submit" className="primary">
          {t('users.add')}
        </button>
      </form>
    </Page>
  );
}
