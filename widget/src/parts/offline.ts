// Issue #23, when nobody is there: out of the business's hours, or when no person took a handoff in
// time, the widget asks for an email (or phone) and a short message, answered later by email and in
// this conversation (shown on the next visit). Loaded on demand: the core only decides when.
import { definePart } from '../part-loader';
import type { Lang } from '../i18n';

const STRINGS = {
  en: {
    closed: 'We are closed right now. Leave your email or phone and a short message, and we will answer you as soon as we can.',
    no_one: 'Nobody is here right now. Leave your email or phone and a short message, and we will answer you as soon as we can.',
    email: 'Email',
    phone: 'Phone (optional)',
    message: 'Your message',
    send: 'Send request',
    needContact: 'Give an email address or a phone number.',
    invalid: 'Check the email address or phone number.',
    slow: 'You already left a request. We will answer you soon.',
    failed: 'Could not send the request. Try again.',
    done: 'Thank you! We will answer you as soon as we can, here and by email.',
  },
  it: {
    closed: 'Al momento siamo chiusi. Lascia la tua email o il tuo telefono e un breve messaggio: ti risponderemo appena possibile.',
    no_one: 'Al momento non c\'è nessuno. Lascia la tua email o il tuo telefono e un breve messaggio: ti risponderemo appena possibile.',
    email: 'Email',
    phone: 'Telefono (facoltativo)',
    message: 'Il tuo messaggio',
    send: 'Invia la richiesta',
    needContact: 'Indica un indirizzo email o un numero di telefono.',
    invalid: 'Controlla l\'indirizzo email o il numero di telefono.',
    slow: 'Hai già lasciato una richiesta. Ti risponderemo presto.',
    failed: 'Impossibile inviare la richiesta. Riprova.',
    done: 'Grazie! Ti risponderemo appena possibile, qui e via email.',
  },
};

const CSS = `
.offline{align-self:stretch;background:var(--card);border:1px solid var(--bd2);border-radius:12px;padding:12px;color:var(--tx);display:flex;flex-direction:column;gap:8px}
.offline p{margin:0}
.offline label{display:flex;flex-direction:column;gap:3px;font-size:13px;font-weight:600}
.offline input,.offline textarea{font:inherit;font-weight:400;border:1px solid var(--mut);border-radius:8px;padding:7px 9px;color:var(--tx);background:var(--card)}
.offline button{align-self:flex-start;border:0;background:var(--c);color:var(--i);border-radius:999px;padding:8px 16px;cursor:pointer;font-size:14px}
.offline .err{color:var(--err);font-size:13px}
`;

type Make = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, text?: string) => HTMLElementTagNameMap[K];

export interface OfflinePart {
  show(o: {
    lang: Lang;
    h: Make;
    root: ShadowRoot;
    log: HTMLElement;
    reason: 'closed' | 'no_one';
    /** Posts {email?, phone?, message} to /api/widget/callback (the core adds the session). */
    post: (body: { email?: string; phone?: string; message: string }) => Promise<Response>;
  }): void;
}

const part: OfflinePart = {
  show(o) {
    const s = STRINGS[o.lang];
    if (!o.root.querySelector('style[data-offline]')) {
      const style = o.h('style', { 'data-offline': '' });
      style.textContent = CSS;
      o.root.append(style);
    }
    o.log.querySelector('.offline')?.remove();
    const box = o.h('form', { class: 'offline', 'aria-label': s.send });
    const email = o.h('input', { type: 'email', autocomplete: 'email', maxlength: '254', name: 'email' });
    const phone = o.h('input', { type: 'tel', autocomplete: 'tel', maxlength: '40', name: 'phone' });
    const message = o.h('textarea', { rows: '3', maxlength: '2000', required: '', name: 'message' });
    const field = (label: string, input: HTMLElement) => {
      const l = o.h('label', {}, label);
      l.append(input);
      return l;
    };
    const err = o.h('p', { class: 'err', role: 'alert' });
    const send = o.h('button', { type: 'submit' }, s.send);
    box.append(o.h('p', {}, s[o.reason]), field(s.email, email), field(s.phone, phone), field(s.message, message), err, send);
    box.onsubmit = async (e) => {
      e.preventDefault();
      const body = { email: email.value.trim() || undefined, phone: phone.value.trim() || undefined, message: message.value.trim() };
      if (!body.email && !body.phone) return void (err.textContent = s.needContact);
      if (!body.message) return void message.focus();
      send.disabled = true;
      err.textContent = '';
      try {
        const res = await o.post(body);
        if (res.ok) {
          box.replaceChildren(o.h('p', { role: 'status' }, s.done));
          return;
        }
        err.textContent = res.status === 400 ? s.invalid : res.status === 429 ? s.slow : s.failed;
      } catch {
        err.textContent = s.failed;
      }
      send.disabled = false;
    };
    o.log.append(box);
    o.log.scrollTop = o.log.scrollHeight;
  },
};

definePart('offline', part);
