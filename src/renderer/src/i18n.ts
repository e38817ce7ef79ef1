import { createContext, useContext } from 'react';

export type Lang = 'en' | 'it';

const en = {
  appName: 'Bob Mission Control',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  email: 'Email',
  password: 'Password',
  signInIntro: 'Watch every conversation live and step in when Bob should not answer.',
  invalidCredentials: 'The email or password is not correct.',
  rateLimited: (m: number) => `Too many attempts. Try again in ${m} minute${m === 1 ? '' : 's'}.`,
  networkError: 'Bob cannot be reached. Check that the server is running.',
  genericError: 'Something went wrong. Try again.',
  signOut: 'Sign out',
  welcome: (name: string) => `Welcome, ${name}`,
  welcomeBody: 'The pages on the left arrive one by one. Until then, what already works (chat, live events, sign-in) is reachable through the API reference.',
  apiDocs: 'API reference',
  soon: 'soon',
  roles: { admin: 'Platform admin', owner: 'Owner', agent: 'Agent' },
  nav: { live: 'Live', history: 'History', personas: 'Personas', widget: 'Widget', pricebook: 'Pricebook', webhooks: 'Webhooks', team: 'Team', usage: 'Usage', audit: 'Audit', settings: 'Settings' },
  language: 'Language',
};
export type Dict = typeof en;

const it: Dict = {
  appName: 'Bob Mission Control',
  signIn: 'Accedi',
  signingIn: 'Accesso in corso…',
  email: 'Email',
  password: 'Password',
  signInIntro: 'Segui ogni conversazione dal vivo e intervieni quando Bob non deve rispondere.',
  invalidCredentials: 'Email o password non corrette.',
  rateLimited: (m: number) => `Troppi tentativi. Riprova tra ${m} minut${m === 1 ? 'o' : 'i'}.`,
  networkError: 'Bob non è raggiungibile. Controlla che il server sia avviato.',
  genericError: 'Qualcosa è andato storto. Riprova.',
  signOut: 'Esci',
  welcome: (name: string) => `Benvenuto, ${name}`,
  welcomeBody: 'Le pagine a sinistra arrivano una alla volta. Nel frattempo, ciò che funziona già (chat, eventi dal vivo, accesso) è raggiungibile dal riferimento API.',
  apiDocs: 'Riferimento API',
  soon: 'presto',
  roles: { admin: 'Amministratore piattaforma', owner: 'Titolare', agent: 'Operatore' },
  nav: { live: 'Live', history: 'Storico', personas: 'Personas', widget: 'Widget', pricebook: 'Listino', webhooks: 'Webhook', team: 'Team', usage: 'Utilizzo', audit: 'Audit', settings: 'Impostazioni' },
  language: 'Lingua',
};

export const dictionaries: Record<Lang, Dict> = { en, it };

export function initialLang(): Lang {
  const saved = localStorage.getItem('bob.lang');
  if (saved === 'en' || saved === 'it') return saved;
  return navigator.language.toLowerCase().startsWith('it') ? 'it' : 'en';
}

export const I18nContext = createContext<{ lang: Lang; t: Dict; setLang: (l: Lang) => void }>({ lang: 'en', t: en, setLang: () => {} });
export const useI18n = () => useContext(I18nContext);
