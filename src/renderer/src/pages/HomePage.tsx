import type { MeResponse } from '../../../shared/schemas/auth';
import type { Permission } from '../../../shared/permissions';
import { useLogout } from '../api/auth';
import { useI18n, type Dict } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

const SECTIONS: { id: keyof Dict['nav']; needs: Permission }[] = [
  { id: 'live', needs: 'chat.view' },
  { id: 'history', needs: 'chat.view' },
  { id: 'personas', needs: 'personas.manage' },
  { id: 'widget', needs: 'widget.manage' },
  { id: 'pricebook', needs: 'pricebook.manage' },
  { id: 'webhooks', needs: 'webhooks.manage' },
  { id: 'team', needs: 'team.manage' },
  { id: 'usage', needs: 'audit.view' },
  { id: 'audit', needs: 'audit.view' },
  { id: 'settings', needs: 'settings.manage' },
];

export function HomePage({ me }: { me: MeResponse }) {
  const { t } = useI18n();
  const logout = useLogout();
  const visible = SECTIONS.filter((s) => me.user.permissions.includes(s.needs));
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">B</span>
          <span className="title">{t.appName}</span>
        </div>
        <div className="who">
          <span>
            <strong>{me.user.name}</strong> <span className="muted">· {t.roles[me.user.role]}</span>
          </span>
          <LanguageSwitch />
          <button type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>
            {t.signOut}
          </button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Mission Control">
        <ul>
          {visible.map((s) => (
            <li key={s.id}>
              <span className="nav-item" aria-disabled="true">
                {t.nav[s.id]} <span className="badge">{t.soon}</span>
              </span>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content">
        <h1>{t.welcome(me.user.name)}</h1>
        <p className="muted">{t.welcomeBody}</p>
        <p>
          <a href="/docs" target="_blank" rel="noreferrer">{t.apiDocs} →</a>
        </p>
      </main>
    </div>
  );
}
