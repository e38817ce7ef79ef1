export type Lang = 'en' | 'it';

const en = {
  open: (name: string) => `Chat with ${name}`,
  close: 'Close chat',
  placeholder: 'Write a message…',
  send: 'Send',
  human: 'Talk to a person',
  humanMessage: 'I would like to talk to a person',
  online: 'Online',
  offline: 'We reply as soon as we can',
  waiting: 'A person from the team will join shortly',
  agent: 'You are chatting with the team',
  typing: (name: string) => `${name} is typing…`,
  notEnabled: 'Chat is not enabled for this site yet.',
  unreachable: 'Cannot reach the chat right now.',
  retry: 'Try again',
  failed: 'Not sent.',
  slowDown: 'You are sending messages very quickly. Wait a moment, then try again.',
  you: 'You',
  // Privacy notice and consent (issue #22).
  consentTitle: 'Privacy notice',
  consentPolicy: 'Privacy policy',
  consentNewTab: 'opens in a new tab',
  consentAccept: 'Accept',
  consentNeeded: 'Please accept the privacy notice first.',
  // Several conversations (issue #23).
  earlier: 'Earlier conversations',
  // Presence in a conversation (issue #23).
  seen: 'Seen',
  newMessage: 'New message',
  unread: 'new messages',
  // Files (issue #23).
  attach: 'Attach a file',
};
export type Dict = typeof en;

const it: Dict = {
  open: (name: string) => `Chatta con ${name}`,
  close: 'Chiudi la chat',
  placeholder: 'Scrivi un messaggio…',
  send: 'Invia',
  human: 'Parla con una persona',
  humanMessage: 'Vorrei parlare con una persona',
  online: 'Online',
  offline: 'Ti rispondiamo appena possibile',
  waiting: 'Una persona del team arriverà a breve',
  agent: 'Stai parlando con il team',
  typing: (name: string) => `${name} sta scrivendo…`,
  notEnabled: 'La chat non è ancora attiva per questo sito.',
  unreachable: 'Al momento la chat non è raggiungibile.',
  retry: 'Riprova',
  failed: 'Non inviato.',
  slowDown: 'Stai inviando messaggi molto velocemente. Attendi un momento e riprova.',
  you: 'Tu',
  // Privacy notice and consent (issue #22).
  consentTitle: 'Informativa sulla privacy',
  consentPolicy: 'Informativa privacy',
  consentNewTab: 'si apre in una nuova scheda',
  consentAccept: 'Accetto',
  consentNeeded: 'Prima accetta l\'informativa sulla privacy.',
  // Several conversations (issue #23).
  earlier: 'Conversazioni precedenti',
  // Presence in a conversation (issue #23).
  seen: 'Visto',
  newMessage: 'Nuovo messaggio',
  unread: 'messaggi nuovi',
  // Files (issue #23).
  attach: 'Allega un file',
};

export function pageLang(): Lang {
  const l = (document.documentElement.lang || navigator.language || 'en').toLowerCase();
  return l.startsWith('it') ? 'it' : 'en';
}

export const dict = (l: Lang): Dict => (l === 'it' ? it : en);
