import { useCallback, useEffect } from 'react';
import type { MeResponse } from '../../../shared/schemas/auth';
import type { Permission } from '../../../shared/permissions';
import { useLogout } from '../api/auth';
import { useLiveEvents } from '../api/events';
import { useI18n, type Dict } from '../i18n';
import { useRoute } from '../router';
import { HistoryPage } from './HistoryPage';
import { LanguageSwitch } from './LanguageSwitch';
import { ThemeSwitch } from '../components/ThemeSwitch';
import { LivePage, openSession } from './LivePage';
import { PersonasPage } from './PersonasPage';
import { PricebookPage } from './PricebookPage';
import { BusinessProfilePage } from './BusinessProfilePage';
import { CatalogPage } from './CatalogPage';
import { AnswerTestsPage } from './AnswerTestsPage';
import { KnowledgePage } from './KnowledgePage';
import { WebhooksPage } from './WebhooksPage';
import { WidgetPage } from './WidgetPage';
import { AccountPage } from './AccountPage';
import { AuditPage } from './AuditPage';
import { OnboardingWizard } from './OnboardingWizard';
import { SettingsPage } from './SettingsPage';
import { TeamPage } from './TeamPage';
import { UsagePage } from './UsagePage';
import { BusinessesPage } from './BusinessesPage';
import { VisitorsPage } from './VisitorsPage';
import { QuickRepliesPage } from './QuickRepliesPage';
import { AssignedNotice } from '../components/AssignedNotice';
import { ScopeBanner } from '../components/ScopeBanner';
import { useTenant } from '../api/governance';

type Section = keyof Dict['nav'];

/** A short two-tone chime for a handoff; silent where audio is not allowed yet. */
function chime() {
  try {
    const ctx = new AudioContext();
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.08, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.5);
    gain.connect(ctx.destination);
    [660, 880].forEach((hz, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = hz;
      osc.connect(gain);
      osc.start(ctx.currentTime + i * 0.15);
      osc.stop(ctx.currentTime + 0.5);
    });
    setTimeout(() => void ctx.close(), 800);
  } catch {
    // no audio: the notification and the title still tell
  }
}
const SECTIONS: { id: Section; needs: Permission }[] = [
  { id: 'live', needs: 'chat.view' },
  { id: 'history', needs: 'chat.view' },
  { id: 'personas', needs: 'personas.manage' },
  { id: 'widget', needs: 'widget.manage' },
  { id: 'pricebook', needs: 'chat.view' },
  { id: 'catalog', needs: 'catalog.manage' },
  { id: 'tests', needs: 'catalog.manage' },
  { id: 'knowledge', needs: 'catalog.manage' },
  { id: 'profile', needs: 'widget.manage' },
  { id: 'webhooks', needs: 'webhooks.manage' },
  { id: 'team', needs: 'team.manage' },
  { id: 'usage', needs: 'audit.view' },
  { id: 'audit', needs: 'audit.view' },
  { id: 'visitors', needs: 'privacy.manage' },
  { id: 'quickReplies', needs: 'canned.manage' },
  { id: 'settings', needs: 'widget.manage' },
  { id: 'businesses', needs: 'tenants.manage' },
];

export function HomePage({ me }: { me: MeResponse }) {
  const { t } = useI18n();
  const logout = useLogout();
  const [section = 'live', id] = useRoute();
  const can = (p: Permission) => me.user.permissions.includes(p);
  const visible = SECTIONS.filter((s) => can(s.needs));

  // A visitor asking for a person: a system notification where allowed, and the title shows it.
  const onHandoff = useCallback(
    (e: { session: { id: string }; message: string }) => {
      document.title = `• ${t.live.notification} — Bob`;
      chime();
      // In the desktop app the main process shows the system notification (and focuses the chat).
      if (!window.bob?.desktop && 'Notification' in window && Notification.permission === 'granted') {
        const n = new Notification(t.live.notification, { body: e.message, tag: e.session.id });
        n.onclick = () => {
          window.focus();
          openSession(e.session.id);
        };
      }
    },
    [t],
  );
  const connected = useLiveEvents(onHandoff);
  useEffect(() => {
    if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission();
    const reset = () => (document.title = 'Bob Mission Control');
    window.addEventListener('focus', reset);
    return () => window.removeEventListener('focus', reset);
  }, []);

  const tenant = useTenant();
  // Your account is reached from the header, not the nav.
  const current = section === 'account' ? undefined : (visible.find((s) => s.id === section) ?? visible[0]);
  // On phones the nav is a scrolling strip: keep the current page's tab in view.
  useEffect(() => {
    document.querySelector('.sidebar .nav-item.active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [current?.id]);
  if (me.user.role === 'owner' && tenant.data && !tenant.data.settings.onboarded) return <OnboardingWizard tenant={tenant.data} />;
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">B</span>
          <span className="title">{t.appName}</span>
          <span className={`conn ${connected ? 'on' : ''}`} role="status">{connected ? t.live.connected : t.live.reconnecting}</span>
        </div>
        <div className="who">
          <a href="#/account" className="account-link" aria-current={section === 'account' ? 'page' : undefined} title={t.account.title}><strong>{me.user.name}</strong> <span className="muted">· {t.roles[me.user.role]}</span></a>
          <LanguageSwitch />
          <ThemeSwitch userId={me.user.id} />
          <button type="button" onClick={() => logout.mutate()} disabled={logout.isPending}>{t.signOut}</button>
        </div>
      </header>
      <nav className="sidebar" aria-label="Mission Control">
        <ul>
          {visible.map((s) => (
            <li key={s.id}>
              <a href={`#/${s.id}`} className={`nav-item${current?.id === s.id ? ' active' : ''}`} aria-current={current?.id === s.id ? 'page' : undefined}>{t.nav[s.id]}</a>
            </li>
          ))}
        </ul>
        <a className="docs-link small" href="/docs" target="_blank" rel="noreferrer">{t.apiDocs} →</a>
      </nav>
      <main className="content">
        {/* Pages title their sections with <h2> (often the page's name); this names the page within the app. */}
        <h1 className="sr-only">{t.appName} — {section === 'account' ? t.account.title : current ? t.nav[current.id] : ''}</h1>
        <ScopeBanner />
        <AssignedNotice userId={me.user.id} />
        {section === 'account' && <AccountPage me={me} />}
        {current?.id === 'live' && <LivePage selected={id} />}
        {current?.id === 'history' && <HistoryPage selected={id} />}
        {current?.id === 'personas' && <PersonasPage selected={id} />}
        {current?.id === 'widget' && <WidgetPage />}
        {current?.id === 'pricebook' && <PricebookPage canManage={can('pricebook.manage')} />}
        {current?.id === 'catalog' && <CatalogPage />}
        {current?.id === 'tests' && <AnswerTestsPage route={id} />}
        {current?.id === 'knowledge' && <KnowledgePage selected={id} canFaq={can('personas.manage')} />}
        {current?.id === 'profile' && <BusinessProfilePage />}
        {current?.id === 'webhooks' && <WebhooksPage />}
        {current?.id === 'team' && <TeamPage platform={me.user.role === 'admin'} />}
        {current?.id === 'usage' && <UsagePage />}
        {current?.id === 'audit' && <AuditPage />}
        {current?.id === 'visitors' && <VisitorsPage />}
        {current?.id === 'quickReplies' && <QuickRepliesPage />}
        {current?.id === 'settings' && <SettingsPage canManageModel={can('settings.manage')} />}
        {current?.id === 'businesses' && <BusinessesPage />}
      </main>
    </div>
  );
}
