import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useMe } from './api/auth';
import { I18nContext, dictionaries, initialLang, type Lang } from './i18n';
import { HomePage } from './pages/HomePage';
import { InvitePage } from './pages/InvitePage';
import { LoginPage } from './pages/LoginPage';
import { useRoute } from './router';
import { applyLastTheme } from './theme';
import './styles.css';

function App() {
  const route = useRoute();
  const me = useMe();
  if (route[0] === 'invite' && route[1]) return <InvitePage token={route[1]} />;
  if (me.isPending) return <div className="center muted" aria-busy="true">…</div>;
  return me.data ? <HomePage me={me.data} /> : <LoginPage />;
}

function Root() {
  const [lang, setLang] = useState<Lang>(initialLang);
  useEffect(() => {
    localStorage.setItem('bob.lang', lang);
    document.documentElement.lang = lang;
  }, [lang]);
  const i18n = useMemo(() => ({ lang, t: dictionaries[lang], setLang }), [lang]);
  const [client] = useState(() => new QueryClient());
  return (
    <QueryClientProvider client={client}>
      <I18nContext.Provider value={i18n}>
        <App />
      </I18nContext.Provider>
    </QueryClientProvider>
  );
}

// Before the first render, so a dark choice never flashes light.
applyLastTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
