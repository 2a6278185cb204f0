import { useQuery } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { NavLink, useLocation, useNavigate, useParams } from 'react-router';
import { useApi } from '../api/api-context.js';
import { useCan, useSession } from '../features/session/session.js';
import { useI18n } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/messages-en.js';

const SITE_SECTIONS: readonly { path: string; label: MessageKey; permission?: string }[] = [
  { path: 'settings', label: 'nav.settings' },
  { path: 'purposes', label: 'nav.purposes' },
  { path: 'fields', label: 'nav.fields' },
  { path: 'audiences', label: 'nav.audiences' },
  { path: 'experiences', label: 'nav.experiences' },
  { path: 'metrics', label: 'nav.metrics' },
  { path: 'placements', label: 'nav.placements' },
  { path: 'preview', label: 'nav.preview' },
  { path: 'publish', label: 'nav.publish' },
  { path: 'results', label: 'nav.results' },
  { path: 'privacy', label: 'nav.privacy' },
  { path: 'ledger', label: 'nav.ledger' },
  { path: 'audit', label: 'nav.audit' },
];

/** The shell: skip link, header with site and language pickers, navigation, main landmark. */
export function Layout({ children }: { readonly children: ReactNode }) {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  const api = useApi();
  const navigate = useNavigate();
  const location = useLocation();
  const { site } = useParams();
  const canManage = useCan('admin:manage');
  const siteSelect = useId();
  const languageSelect = useId();
  const sites = useQuery({ queryKey: ['sites'], queryFn: api.listSites });
  const section = /^\/sites\/[^/]+\/([^/]+)/.exec(location.pathname)?.[1] ?? 'settings';
  const email = session.state.status === 'signed-in' && session.state.me.kind === 'user' ? session.state.me.email : '';
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('common.skip')}
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          {t('app.name')}
        </NavLink>
        <div className="topbar-controls">
          <label htmlFor={siteSelect}>{t('nav.site')}</label>
          <select
            id={siteSelect}
            value={site ?? ''}
            onChange={(event) =>
              void navigate(event.target.value === '' ? '/' : `/sites/${event.target.value}/${section}`)
            }
          >
            <option value="">{t('nav.sites')}</option>
            {(sites.data ?? []).map((item) => (
              <option key={item.siteKey} value={item.siteKey}>
                {item.settings.name} ({item.siteKey})
              </option>
            ))}
          </select>
          <label htmlFor={languageSelect}>{t('common.language')}</label>
          <select
            id={languageSelect}
            value={language}
            onChange={(event) => setLanguage(event.target.value === 'zh-Hant' ? 'zh-Hant' : 'en')}
          >
            <option value="en">English</option>
            <option value="zh-Hant">繁體中文</option>
          </select>
          <span className="muted">{email}</span>
          <button type="button" onClick={() => void session.signOut()}>
            {t('common.signOut')}
          </button>
        </div>
      </header>
      <div className="body">
        <nav aria-label={t('nav.main')} className="sidebar">
          <ul>
            <li>
              <NavLink to="/" end>
                {t('nav.sites')}
              </NavLink>
            </li>
            {site === undefined
              ? null
              : SITE_SECTIONS.map((item) => (
                  <li key={item.path}>
                    <NavLink to={`/sites/${site}/${item.path}`}>{t(item.label)}</NavLink>
                  </li>
                ))}
            {canManage ? (
              <>
                <li>
                  <NavLink to="/users">{t('nav.users')}</NavLink>
                </li>
                <li>
                  <NavLink to="/api-keys">{t('nav.apiKeys')}</NavLink>
                </li>
              </>
            ) : null}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
