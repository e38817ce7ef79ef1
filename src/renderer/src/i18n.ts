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
  remember: 'Keep me signed in on this computer (saved in the system keychain)',
  welcome: (name: string) => `Welcome, ${name}`,
  welcomeBody: 'The pages on the left arrive one by one. Until then, what already works (chat, live events, sign-in) is reachable through the API reference.',
  apiDocs: 'API reference',
  soon: 'soon',
  loading: 'Loading…',
  error: 'Could not load this. Try again.',
  retry: 'Retry',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved',
  cancel: 'Cancel',
  live: { connected: 'Live', reconnecting: 'Reconnecting…', empty: 'No conversations right now. New visitors appear here as they write.', pick: 'Pick a conversation on the left.', waitingFor: (m: string) => `waiting ${m}`, takeover: 'Take over', release: 'Hand back to Bob', close: 'Close', reply: 'Reply to the visitor…', send: 'Send', note: 'Internal note (never shown to the visitor)…', addNote: 'Add note', notification: 'A visitor is asking for a person', visitor: 'Visitor', noteLabel: 'Note', unread: (n: number) => `${n} new` },
  status: { bot: 'Bob', waiting_for_agent: 'Needs a person', agent: 'With a person', closed: 'Closed' } as Record<string, string>,
  invite: { title: 'Join Bob', intro: (name: string, email: string) => `Welcome, ${name}. Choose a password for ${email}.`, password: 'New password (at least 10 characters)', repeat: 'Repeat the password', mismatch: 'The two passwords differ.', submit: 'Set password', done: 'Your password is set. You can sign in now.', invalid: 'This invitation is not valid any more: it was used or it expired. Ask for a new one.' },
  team: { seats: (used: number, limit: number | null) => limit === null ? `${used} seat${used === 1 ? "" : "s"} used (unlimited)` : `${used} of ${limit} seats used`, add: 'Add member', email: 'Email', name: 'Name', role: 'Role', status: { active: 'Active', invited: 'Invited', disabled: 'Disabled' } as Record<string, string>, disable: 'Disable', enable: 'Enable', inviteLink: 'Send this one-time link to the new member (valid 7 days):', full: 'All seats are taken. Disable a member or upgrade the plan.' },
  audit: { filter: 'Filter by action (e.g. persona.)', when: 'When', who: 'Who', what: 'Action', target: 'Target', empty: 'Nothing recorded yet.' },
  usage: { days: (n: number) => `Last ${n} days`, conversations: 'Conversations', messages: 'Visitor messages', aiReplies: 'AI replies', handoffs: 'Handoffs', credits: (used: string, allowance: string, left: string) => `Credits this month: ${used} of ${allowance} used, ${left} left`, firstResponse: 'Median first response', total: 'Total' },
  settings: { business: 'Business', greeting: 'Widget greeting', languages: 'Languages', hours: 'Office hours', color: 'Widget colour', plan: 'Plan', model: 'Model provider', modelLater: 'Bob answers with its built-in responder. Connecting an OpenAI-compatible model (Ollama, LM Studio, OpenAI) comes with the model-provider update.', apiKey: 'Model API key', keySaved: 'A key is saved in the system keychain.', keyNone: 'No key saved.', keySave: 'Save key in the keychain', keyClear: 'Remove key', noKeychain: (why: string) => `No system keychain (${why}): set BOB_LLM_API_KEY in the environment instead.`, browserOnly: 'Keys are saved from the desktop app (into the system keychain). On a server, set BOB_LLM_API_KEY.' },
  onboarding: { title: 'Set up Bob for your site', step: (n: number) => `Step ${n} of 3`, sites: 'Which sites will show the chat?', sitesHelp: 'One address per line, e.g. https://www.yourshop.com', persona: 'What should your assistant be called?', greeting: 'What should it say first?', next: 'Next', back: 'Back', finish: 'Finish and get the snippet' },
  history: { search: 'Search messages…', all: 'All statuses', empty: 'No conversations match.', more: 'Load more' },
  personas: { title: 'Personas', add: 'New persona', name: 'Name', description: 'Description', tone: 'Tone', systemPrompt: 'Instructions (system prompt)', isDefault: 'Default', makeDefault: 'Make default', remove: 'Delete', confirmRemove: 'Delete this persona?', conflict: 'Someone saved a newer version while you were editing. Your edits are still in the form: reload the latest, then save again.', reloadLatest: 'Load the latest', versions: 'Versions', restore: 'Restore', tryIt: 'Try it', tryPlaceholder: 'Ask as a visitor would…', export: 'Export JSON', import: 'Import JSON', imported: (n: number) => `${n} imported`, tones: { friendly: 'Friendly', formal: 'Formal', concise: 'Concise', playful: 'Playful' } as Record<string, string> },
  widget: { setup: 'Widget Setup', setupHelp: 'Paste this one line into every page of your site, just before </body>.', copy: 'Copy', copied: 'Copied', keys: 'Keys', label: 'Label', mode: 'Mode', origins: 'Allowed sites (one per line)', originsHelp: 'Exact (https://shop.example.com), any subdomain (https://*.example.com) or any port (http://localhost:*).', lastUsed: 'Last used', never: 'never', rotate: 'Rotate', revoke: 'Revoke', confirmRotate: 'Issue a new key? The old one keeps working for 24 hours.', confirmRevoke: 'Revoke this key? Sites using it stop working at once.', create: 'Create key', revoked: 'revoked', preview: 'Show live preview', previewHelp: 'The widget appears at the bottom right of this window, as your visitors see it.' },
  pricebook: { title: 'Pricebook', published: (v: number) => `Published version ${v}`, plan: 'Plan', price: 'List price (month)', credits: 'AI credits / month', seats: 'Team seats', integrations: 'Integrations', support: 'Support', unlimited: 'Unlimited', upTo: (n: string) => `Up to ${n}`, newDraft: 'New draft', draft: (v: number) => `Draft version ${v}`, publish: 'Publish', confirmPublish: (v: number) => `Publish version ${v}? Bob quotes these prices from the next message.`, versions: 'Versions', changed: 'changed from the published version' },
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
  remember: 'Resta connesso su questo computer (salvato nel portachiavi di sistema)',
  welcome: (name: string) => `Benvenuto, ${name}`,
  welcomeBody: 'Le pagine a sinistra arrivano una alla volta. Nel frattempo, ciò che funziona già (chat, eventi dal vivo, accesso) è raggiungibile dal riferimento API.',
  apiDocs: 'Riferimento API',
  soon: 'presto',
  loading: 'Caricamento…',
  error: 'Impossibile caricare. Riprova.',
  retry: 'Riprova',
  save: 'Salva',
  saving: 'Salvataggio…',
  saved: 'Salvato',
  cancel: 'Annulla',
  live: { connected: 'In diretta', reconnecting: 'Riconnessione…', empty: 'Nessuna conversazione al momento. I nuovi visitatori compaiono qui appena scrivono.', pick: 'Scegli una conversazione a sinistra.', waitingFor: (m: string) => `in attesa da ${m}`, takeover: 'Intervieni', release: 'Ridai a Bob', close: 'Chiudi', reply: 'Rispondi al visitatore…', send: 'Invia', note: 'Nota interna (mai mostrata al visitatore)…', addNote: 'Aggiungi nota', notification: 'Un visitatore chiede una persona', visitor: 'Visitatore', noteLabel: 'Nota', unread: (n: number) => `${n} nuovi` },
  status: { bot: 'Bob', waiting_for_agent: 'Serve una persona', agent: 'Con una persona', closed: 'Chiusa' } as Record<string, string>,
  invite: { title: 'Entra in Bob', intro: (name: string, email: string) => `Benvenuto, ${name}. Scegli una password per ${email}.`, password: 'Nuova password (almeno 10 caratteri)', repeat: 'Ripeti la password', mismatch: 'Le due password sono diverse.', submit: 'Imposta la password', done: 'La password è impostata. Ora puoi accedere.', invalid: 'Questo invito non è più valido: è stato usato o è scaduto. Chiedine uno nuovo.' },
  team: { seats: (used: number, limit: number | null) => limit === null ? `${used} posti usati (illimitati)` : `${used} di ${limit} posti usati`, add: 'Aggiungi membro', email: 'Email', name: 'Nome', role: 'Ruolo', status: { active: 'Attivo', invited: 'Invitato', disabled: 'Disattivato' } as Record<string, string>, disable: 'Disattiva', enable: 'Riattiva', inviteLink: 'Invia questo link monouso al nuovo membro (valido 7 giorni):', full: 'Tutti i posti sono occupati. Disattiva un membro o passa a un piano superiore.' },
  audit: { filter: 'Filtra per azione (es. persona.)', when: 'Quando', who: 'Chi', what: 'Azione', target: 'Oggetto', empty: 'Ancora nessuna registrazione.' },
  usage: { days: (n: number) => `Ultimi ${n} giorni`, conversations: 'Conversazioni', messages: 'Messaggi dei visitatori', aiReplies: 'Risposte IA', handoffs: 'Passaggi a persona', credits: (used: string, allowance: string, left: string) => `Crediti di questo mese: ${used} usati su ${allowance}, ne restano ${left}`, firstResponse: 'Prima risposta (mediana)', total: 'Totale' },
  settings: { business: 'Attività', greeting: 'Saluto del widget', languages: 'Lingue', hours: 'Orari', color: 'Colore del widget', plan: 'Piano', model: 'Modello', modelLater: 'Bob risponde con il suo motore integrato. Il collegamento a un modello compatibile OpenAI (Ollama, LM Studio, OpenAI) arriva con l’aggiornamento dedicato.', apiKey: 'Chiave API del modello', keySaved: 'Una chiave è salvata nel portachiavi di sistema.', keyNone: 'Nessuna chiave salvata.', keySave: 'Salva la chiave nel portachiavi', keyClear: 'Rimuovi la chiave', noKeychain: (why: string) => `Nessun portachiavi di sistema (${why}): imposta BOB_LLM_API_KEY nell’ambiente.`, browserOnly: 'Le chiavi si salvano dall’app desktop (nel portachiavi di sistema). Su un server, imposta BOB_LLM_API_KEY.' },
  onboarding: { title: 'Configura Bob per il tuo sito', step: (n: number) => `Passo ${n} di 3`, sites: 'Su quali siti comparirà la chat?', sitesHelp: 'Un indirizzo per riga, es. https://www.iltuonegozio.it', persona: 'Come si chiamerà il tuo assistente?', greeting: 'Cosa dirà per primo?', next: 'Avanti', back: 'Indietro', finish: 'Fine: mostra il codice' },
  history: { search: 'Cerca nei messaggi…', all: 'Tutti gli stati', empty: 'Nessuna conversazione corrisponde.', more: 'Carica altre' },
  personas: { title: 'Personas', add: 'Nuova persona', name: 'Nome', description: 'Descrizione', tone: 'Tono', systemPrompt: 'Istruzioni (prompt di sistema)', isDefault: 'Predefinita', makeDefault: 'Rendi predefinita', remove: 'Elimina', confirmRemove: 'Eliminare questa persona?', conflict: 'Qualcuno ha salvato una versione più recente mentre modificavi. Le tue modifiche sono ancora nel modulo: carica l’ultima versione e salva di nuovo.', reloadLatest: 'Carica l’ultima', versions: 'Versioni', restore: 'Ripristina', tryIt: 'Prova', tryPlaceholder: 'Chiedi come farebbe un visitatore…', export: 'Esporta JSON', import: 'Importa JSON', imported: (n: number) => `${n} importate`, tones: { friendly: 'Cordiale', formal: 'Formale', concise: 'Conciso', playful: 'Giocoso' } as Record<string, string> },
  widget: { setup: 'Configurazione widget', setupHelp: 'Incolla questa riga in ogni pagina del tuo sito, appena prima di </body>.', copy: 'Copia', copied: 'Copiato', keys: 'Chiavi', label: 'Etichetta', mode: 'Modalità', origins: 'Siti consentiti (uno per riga)', originsHelp: 'Esatto (https://shop.example.com), qualsiasi sottodominio (https://*.example.com) o qualsiasi porta (http://localhost:*).', lastUsed: 'Ultimo uso', never: 'mai', rotate: 'Ruota', revoke: 'Revoca', confirmRotate: 'Emettere una nuova chiave? La vecchia funziona ancora per 24 ore.', confirmRevoke: 'Revocare questa chiave? I siti che la usano smettono subito di funzionare.', create: 'Crea chiave', revoked: 'revocata', preview: 'Mostra anteprima', previewHelp: 'Il widget compare in basso a destra in questa finestra, come lo vedono i visitatori.' },
  pricebook: { title: 'Listino', published: (v: number) => `Versione pubblicata ${v}`, plan: 'Piano', price: 'Prezzo di listino (mese)', credits: 'Crediti IA / mese', seats: 'Posti del team', integrations: 'Integrazioni', support: 'Supporto', unlimited: 'Illimitato', upTo: (n: string) => `Fino a ${n}`, newDraft: 'Nuova bozza', draft: (v: number) => `Bozza versione ${v}`, publish: 'Pubblica', confirmPublish: (v: number) => `Pubblicare la versione ${v}? Bob userà questi prezzi dal prossimo messaggio.`, versions: 'Versioni', changed: 'modificato rispetto alla versione pubblicata' },
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
