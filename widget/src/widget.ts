// Bob's embeddable widget: one script tag, no dependencies, everything inside a Shadow DOM.
// The server replaces __BOB_CONFIG__ with this tenant's publishable key, API base, colour and
// persona name (so the launcher is painted right before any request to Bob).
import { readReply } from '../../src/shared/chat-stream-reader';
import { acceptedHere, consentBox, rememberAccepted, type Consent } from './consent';
import { dict, pageLang } from './i18n';
import { CSS } from './styles';
import { ERASE_CSS, eraseButton } from './erase';
import { installSiteApi, type BobEvent } from './site-api';
import { loadPart } from './part-loader';
import type { RatingPart } from './parts/rating';
import type { ConversationsPart } from './parts/conversations';
import type { OfflinePart } from './parts/offline';
import { beep, formatted, stamp, titleFlasher } from './presence';
import type { AttachmentsPart, FileRef } from './parts/attachments';

interface Config {
  tenant: string;
  key: string;
  api: string;
  color?: string;
  persona?: string;
}
interface Msg {
  id?: string;
  author: 'visitor' | 'bot' | 'agent' | 'system';
  author_name?: string | null;
  body: string;
  created_at?: string;
  attachments?: FileRef[];
}
interface Reply {
  message_id: string;
  reply: string | null;
  from: 'bot' | 'agent' | 'system';
  persona: { name: string };
  status: Status;
}
type Status = 'bot' | 'waiting_for_agent' | 'agent' | 'closed';

declare const __BOB_CONFIG__: Config;

(() => {
  const cfg = __BOB_CONFIG__;
  if (!cfg?.key || document.querySelector('[data-bob-widget]')) return;
  const lang = pageLang();
  const t = dict(lang);
  const storeKey = `bob:${cfg.tenant}:session`;
  const consentKey = `bob:${cfg.tenant}:consent`;
  // The visitor's earlier conversations here (issue #23), newest first.
  const earlierKey = `bob:${cfg.tenant}:earlier`;
  const earlier = (): string[] => {
    try {
      return JSON.parse(localStorage.getItem(earlierKey) || '[]') as string[];
    } catch {
      return [];
    }
  };

  // crypto.randomUUID exists only on https (and localhost); plain-http sites need a fallback.
  const newId = () =>
    crypto.randomUUID?.() ??
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  // The conversation's `session_id`, made here once per site and browser: the visitor's id of the
  // conversation (Bob's chat_sessions.external_id; its internal id never reaches the widget).
  let externalId = '';
  try {
    externalId = localStorage.getItem(storeKey) ?? '';
    if (!externalId) localStorage.setItem(storeKey, (externalId = newId()));
  } catch {
    externalId = newId();
  }

  const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string) => {
    const el = document.createElement(tag) as HTMLElementTagNameMap[K];
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text; // text only: message bodies are never parsed as HTML
    return el;
  };

  // A custom element name, so the page's own element rules (div, section…) never match the host.
  const host = document.createElement('bob-widget');
  host.setAttribute('data-bob-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  // The brand colour fills the launcher, header and visitor bubbles; their text takes white or
  // black, whichever contrasts more with it (WCAG relative luminance: at least 4.58:1 either way).
  const paint = (color: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(color.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    host.style.setProperty('--c', color);
    host.style.setProperty('--i', 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.179 ? '#000' : '#fff');
  };
  paint(cfg.color ?? '#2563eb');
  const style = h('style');
  style.textContent = CSS + ERASE_CSS;
  const launcher = h('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'bob-panel' });
  launcher.innerHTML = '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
  // Replies that came while the panel was closed (issue #23).
  const badge = h('span', { class: 'badge', hidden: '' });
  launcher.append(badge);
  const panel = h('section', { class: 'panel', id: 'bob-panel', role: 'dialog', hidden: '' });
  // A div, not <header>: at the top level of the shadow tree a header is a second page banner.
  const header = h('div', { class: 'bar' });
  const who = h('div', { class: 'who' });
  const title = h('h2');
  const statusLine = h('p');
  const closeBtn = h('button', { type: 'button', 'aria-label': t.close }, '×');
  who.append(title, statusLine);
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const humanBtn = h('button', { type: 'button', class: 'human' }, t.human);
  const form = h('form');
  const input = h('textarea', { rows: '1', 'aria-label': t.placeholder, placeholder: t.placeholder, maxlength: '4000' });
  const sendBtn = h('button', { type: 'submit' }, t.send);
  // Files (issue #23): the part `attachments` loads on first use; shown once the conversation exists.
  const attachBtn = h('button', { type: 'button', class: 'att', 'aria-label': t.attach, title: t.attach, hidden: '' });
  attachBtn.innerHTML = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7"/></svg>';
  form.append(attachBtn, input, sendBtn);
  panel.append(header, log, humanBtn, form);
  root.append(style, launcher, panel);

  let persona = cfg.persona ?? 'Bob';
  let online = false;
  let status: Status = 'bot';
  let rated = false;
  let ready = false;
  // What the visitor sent before the config and history arrived: sent once they have.
  const early: string[] = [];
  let stream: EventSource | undefined;
  // window.Bob's events (installed at the end, once the widget is on the page).
  let emit = (_e: BobEvent, _d?: unknown) => {};
  const seen = new Set<string>();
  let typing: HTMLElement | undefined;
  // Presence (issue #23): the last bubble's time row of the visitor's, whether the conversation is
  // stored yet, unread replies, the business's sound setting, the typing indicator's expiry.
  let mine: HTMLElement | undefined;
  let mineAt = '';
  let started = false;
  let unread = 0;
  let sound = false;
  let typedAt = 0;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const flash = titleFlasher(t.newMessage);
  // While an answer is on its way (`asking` requests), messages from the stream wait here (agents'
  // excepted): the answer's own copy must find its id in `seen` first, or it would show twice.
  let asking = 0;
  const held: Msg[] = [];
  // The business's notice (issue #22); `blocked` while consent is required and not yet given.
  let consent: Consent | undefined;
  let blocked = false;
  const block = (on: boolean) => {
    blocked = on;
    input.disabled = sendBtn.disabled = humanBtn.disabled = on;
  };
  // The notice above the conversation; with an Accept button (and sending disabled) when required.
  function showConsent() {
    const c = consent;
    if (!c || (!c.required && !c.notice && !c.policy_url)) return;
    log.querySelector('.consent')?.remove();
    const ask = c.required && !acceptedHere(consentKey, externalId, c);
    block(ask);
    const box = consentBox(h, t, c, ask ? async () => {
      try {
        const res = await api('/api/widget/consent', { method: 'POST', body: JSON.stringify({ session_id: externalId }) });
        if (!res.ok) return false;
        rememberAccepted(consentKey, externalId, { ...c, version: (await res.json()).version });
        block(false);
        input.focus();
        return true;
      } catch {
        return false;
      }
    } : undefined);
    log.prepend(box);
    if (ask && !panel.hidden) box.querySelector('button')?.focus();
  }

  const setPersona = (name: string) => {
    persona = name;
    title.textContent = name;
    launcher.setAttribute('aria-label', t.open(name) + (unread ? ` (${t.unread}: ${unread})` : ''));
    panel.setAttribute('aria-label', t.open(name));
  };
  const renderStatus = () => {
    statusLine.textContent = '';
    const dot = h('span', { class: `dot${online || status === 'agent' ? ' on' : ''}`, 'aria-hidden': 'true' });
    const text = status === 'waiting_for_agent' ? t.waiting : status === 'agent' ? t.agent : online ? t.online : t.offline;
    statusLine.append(dot, text);
    // A closed conversation offers its rating and a new conversation instead (the part `rating`).
    humanBtn.hidden = status !== 'bot';
    if (ready && status === 'waiting_for_agent' && statusLine.dataset.s !== status) emit('handoff');
    statusLine.dataset.s = status;
    ending();
  };
  // Closed: ask for a rating and offer a new conversation (the on-demand part `rating`).
  function ending() {
    const box = log.querySelector('.end');
    if (status !== 'closed') return void box?.remove();
    if (box) return;
    void loadPart<RatingPart>(cfg.api, 'rating').then((p) => {
      if (status !== 'closed' || log.querySelector('.end')) return;
      p.show({
        lang,
        h,
        root,
        log,
        rated,
        rate: async (score, comment) => {
          const code = (await api('/api/widget/rating', { method: 'POST', body: JSON.stringify({ session_id: externalId, score, ...(comment && { comment }) }) })).status;
          rated ||= code === 201 || code === 409;
          return code;
        },
        fresh: () => void restart(true).then(() => input.focus()),
      });
    }, () => undefined);
  }
  setPersona(persona);

  const api = (path: string, init?: RequestInit) =>
    fetch(cfg.api + path, { ...init, headers: { 'X-Widget-Key': cfg.key, ...(init?.body ? { 'Content-Type': 'application/json' } : {}) } });
  // Nobody can answer now (issue #23): the on-demand form for an email or phone and a message.
  let closedNow = false;
  const offline = (reason: 'closed' | 'no_one') =>
    void loadPart<OfflinePart>(cfg.api, 'offline').then((p) =>
      p.show({ lang, h, root, log, reason, post: (b) => api('/api/widget/callback', { method: 'POST', body: JSON.stringify({ ...b, session_id: externalId, language: lang }) }) }),
    );

  function add(m: Msg): HTMLElement {
    if (m.id) seen.add(m.id);
    const el = h('div', { class: `msg ${m.author}` });
    if (m.author === 'agent' && m.author_name) el.append(h('span', { class: 'by' }, m.author_name));
    // A file message shows its files (the body is their name): a thumbnail opening the full image, or a link.
    if (m.attachments?.length)
      for (const a of m.attachments) {
        const link = h('a', { href: cfg.api + a.url, target: '_blank', rel: 'noopener', class: 'file' }, a.type.startsWith('image/') ? undefined : a.name);
        if (!link.textContent) link.append(h('img', { src: link.href, alt: a.name }));
        el.append(link);
      }
    // Bob's and agents' messages formatted (text nodes and safe elements only), others as written.
    else el.append(...(m.author == 'bot' || m.author == 'agent' ? formatted(m.body) : [m.body]));
    const at = h('div', { class: `at ${m.author}` });
    at.append(stamp(lang, m.created_at));
    log.insertBefore(el, typing?.isConnected ? typing : null);
    if (m.author != 'system') log.insertBefore(at, el.nextSibling);
    if (m.author == 'visitor') (mine = at), (mineAt = m.created_at ?? new Date().toISOString());
    log.scrollTop = log.scrollHeight;
    if (ready && m.body) emit('message', m);
    return el;
  }

  // Bob thinking (dots), or a person typing (`who`: their name, shown).
  function showTyping(on: boolean, who?: string) {
    if (on && (who || !typing?.isConnected)) {
      typing?.remove();
      typing = h('div', { class: 'typing', role: 'status' });
      typing.append(who ? h('span', {}, t.typing(who)) : h('span', { class: 'sr' }, t.typing(persona)), h('i'), h('i'), h('i'));
      log.append(typing);
      log.scrollTop = log.scrollHeight;
    } else if (!on) typing?.remove();
  }

  // "Seen" under the visitor's last message, once a person has read it.
  const markSeen = () => {
    root.querySelector('.seen')?.remove();
    mine?.append(h('span', { class: 'seen' }, ` · ${t.seen}`));
  };
  // The visitor has the conversation in front of them: a receipt (nothing is written when nothing is new).
  const seenNow = () => {
    if (started && !panel.hidden && !document.hidden) void api('/api/widget/seen', { method: 'POST', body: JSON.stringify({ session_id: externalId }) }).catch(() => 0);
  };
  document.addEventListener('visibilitychange', seenNow);
  // A reply arrived: counted on the closed launcher, flashed in a hidden tab's title, beeped if wanted.
  function arrived() {
    if (panel.hidden) {
      unread++;
      badge.textContent = String(unread);
      badge.hidden = false;
      setPersona(persona);
    } else seenNow();
    flash();
    if (sound && (panel.hidden || document.hidden)) beep();
  }

  // A refused origin gets no CORS headers, so the browser hides the 403. An opaque no-cors
  // request tells the two cases apart: it succeeds when Bob is up (so the site is not allowed).
  async function explainFailure(): Promise<string> {
    try {
      await fetch(cfg.api + '/api/health', { mode: 'no-cors' });
      return t.notEnabled;
    } catch {
      return t.unreachable;
    }
  }

  function notice(text: string, retry?: () => void) {
    log.textContent = '';
    const box = h('div', { class: 'notice', role: 'alert' });
    box.append(h('p', {}, text));
    if (retry) {
      const b = h('button', { type: 'button' }, t.retry);
      b.onclick = retry;
      box.append(b);
    }
    log.append(box);
    form.hidden = humanBtn.hidden = true;
  }

  async function start() {
    try {
      const [conf, hist] = await Promise.all([api(`/api/widget/config?language=${lang}&session_id=${encodeURIComponent(externalId)}`), api(`/api/widget/history?session_id=${encodeURIComponent(externalId)}`)]);
      if (!conf.ok || !hist.ok) throw new Error(String(conf.status));
      const c = await conf.json();
      const history = await hist.json();
      setPersona(c.persona.name);
      online = c.online;
      status = history.status;
      rated = history.rated === true;
      paint(c.theme_color);
      log.textContent = '';
      form.hidden = false;
      add({ author: 'bot', body: c.greetings?.[lang] ?? c.greeting });
      for (const m of history.messages as Msg[]) add(m);
      started = history.messages.length > 0;
      sound = c.sound === true;
      if (history.staff_seen_at && mineAt && history.staff_seen_at >= mineAt) markSeen();
      seenNow();
      attachBtn.hidden = !history.messages.length;
      consent = c.consent;
      showConsent();
      if (c.ask_bob_or_person && !history.messages.length)
        void loadPart<ConversationsPart>(cfg.api, 'conversations').then(
          (p) => p.choose({ lang, h, root, log, persona, bob: () => input.focus(), person: () => !blocked && void send(t.humanMessage) }),
          () => undefined,
        );
      // Out of hours Bob still answers; asking for a person is what brings the form. Nobody took the handoff: the form now.
      closedNow = c.available === false && c.reason === 'closed';
      if (c.available === false && c.reason === 'no_one') offline('no_one');
      renderStatus();
      ready = true;
      listen();
      // Typed before the notice was shown: back in the box until the visitor accepts it.
      if (blocked) input.value = early.splice(0).join('\n');
      else for (const text of early.splice(0)) void send(text);
    } catch {
      notice(await explainFailure(), () => void start());
    }
  }

  function listen() {
    if (stream) return;
    stream = new EventSource(`${cfg.api}/api/widget/stream?session_id=${encodeURIComponent(externalId)}&key=${encodeURIComponent(cfg.key)}`);
    stream.addEventListener('message', (e) => {
      const m = JSON.parse((e as MessageEvent).data) as Msg;
      // The visitor's own messages are already on screen; everything else is added once.
      if (m.author === 'visitor' || (m.id && seen.has(m.id))) return;
      if (asking && m.author !== 'agent') return void held.push(m);
      showTyping(false);
      add(m);
      if (m.author != 'system') arrived();
    });
    stream.addEventListener('seen', markSeen);
    // A person typing: shown until they stop, send, or ~6 s pass without a refresh.
    stream.addEventListener('typing', (e) => {
      const d = JSON.parse((e as MessageEvent).data);
      clearTimeout(typingTimer);
      showTyping(d.typing, d.name || persona);
      if (d.typing) typingTimer = setTimeout(() => showTyping(false), 6000);
    });
    stream.addEventListener('offline', () => offline('no_one'));
    stream.addEventListener('status', (e) => {
      status = JSON.parse((e as MessageEvent).data).status;
      renderStatus();
    });
  }

  async function send(text: string, bubble?: HTMLElement) {
    const el = bubble ?? add({ author: 'visitor', body: text });
    el.classList.remove('failed');
    el.querySelector('.err')?.remove();
    if (status === 'bot' || status === 'closed') showTyping(true);
    // Bob's answer as it is written: replaces the typing dots at the first token, busy (so screen
    // readers wait for the final text) until the reply.
    let draft: HTMLElement | undefined;
    asking++;
    try {
      const res = await api('/api/widget/chat', { method: 'POST', body: JSON.stringify({ session_id: externalId, message: text, language: lang, stream: true }) });
      // The business's notice changed, or was never accepted here: ask again.
      if (res.status === 403 && (await res.clone().json().catch(() => null))?.error?.code === 'consent_required') {
        el.classList.add('failed');
        try {
          localStorage.removeItem(consentKey);
        } catch {
          /* nothing kept */
        }
        if (consent) consent.required = true;
        add({ author: 'system', body: t.consentNeeded });
        showConsent();
        return;
      }
      if (res.status === 429) {
        el.classList.add('failed');
        add({ author: 'system', body: t.slowDown });
        return;
      }
      if (!res.ok) throw new Error(String(res.status));
      started = true;
      attachBtn.hidden = false;
      const r = await readReply<Reply>(res, (piece) => {
        if (!draft) {
          showTyping(false);
          draft = add({ author: 'bot', body: '' });
          draft.setAttribute('aria-busy', 'true');
        }
        draft.textContent += piece;
        log.scrollTop = log.scrollHeight;
      });
      status = r.status;
      renderStatus();
      // The reply's text is the answer: it can differ from what was streamed.
      if (r.reply === null || seen.has(r.message_id)) draft?.remove();
      else if (draft) {
        seen.add(r.message_id);
        draft.className = `msg ${r.from}`;
        draft.textContent = '';
        draft.append(...formatted(r.reply));
        draft.removeAttribute('aria-busy');
        emit('message', { id: r.message_id, author: r.from, body: r.reply });
      } else add({ id: r.message_id, author: r.from, body: r.reply });
    } catch {
      draft?.remove();
      el.classList.add('failed');
      const err = h('span', { class: 'err' }, t.failed + ' ');
      const again = h('button', { type: 'button' }, t.retry);
      again.onclick = () => void send(text, el);
      err.append(again);
      el.append(err);
    } finally {
      showTyping(false);
      if (!--asking) for (const m of held.splice(0)) if (!m.id || !seen.has(m.id)) add(m);
    }
  }

  function open(on: boolean) {
    panel.hidden = !on;
    if (launcher.getAttribute('aria-expanded') !== String(on)) emit(on ? 'open' : 'close');
    launcher.setAttribute('aria-expanded', String(on));
    if (on) {
      unread = 0;
      badge.hidden = true;
      setPersona(persona);
      seenNow();
      if (!ready) void start();
      (blocked ? root.querySelector<HTMLElement>('.accept') : input)?.focus();
    } else launcher.focus();
  }

  launcher.onclick = () => open(panel.hidden !== false);
  closeBtn.onclick = () => open(false);
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') open(false);
  });
  // Typed, or sent by the site (Bob.send): the same path.
  const submit = (text: string) => {
    if (!text || blocked) return;
    log.querySelector('.choose')?.remove();
    if (ready) void send(text);
    else early.push(text);
  };
  form.onsubmit = (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text || blocked) return;
    input.value = '';
    typedAt = 0;
    submit(text);
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  // The visitor typing, told to the team while a person has (or is about to have) the conversation.
  input.addEventListener('input', () => {
    const now = Date.now();
    const on = !!input.value;
    if (on ? now - typedAt < 3000 : !typedAt) return;
    typedAt = on ? now : 0;
    if (started && (status == 'agent' || status == 'waiting_for_agent')) void api('/api/widget/typing', { method: 'POST', body: JSON.stringify({ session_id: externalId, typing: on }) }).catch(() => 0);
  });
  // Asking for a person hands off as always; out of hours the form to be answered later comes with it.
  humanBtn.onclick = () => {
    if (!ready || blocked) return;
    void send(t.humanMessage);
    if (closedNow) offline('closed');
  };
  // Attach (picker), paste a file into the box, drop one on the panel: once the conversation exists.
  const attach = (files?: File[]) =>
    !attachBtn.hidden && !blocked && !form.hidden &&
    void loadPart<AttachmentsPart>(cfg.api, 'attachments').then((p) => p.use({ lang, h, root, panel, api: cfg.api, key: cfg.key, session: () => externalId, add }, files), () => undefined);
  attachBtn.onclick = () => attach();
  input.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files ?? [])];
    if (!files.length) return;
    e.preventDefault();
    attach(files);
  });
  // Files only: text dragged into the box drops as usual.
  const dragged = (e: DragEvent) => !!e.dataTransfer?.types.includes('Files') && (e.preventDefault(), true);
  panel.addEventListener('dragenter', (e) => dragged(e) && attach([]));
  panel.addEventListener('dragover', dragged);
  panel.addEventListener('drop', (e) => dragged(e) && attach([...e.dataTransfer!.files]));

  // "Delete this conversation": erased on Bob, then a new conversation starts here.
  const eraseBtn = eraseButton({
    lang,
    h,
    log,
    // Nothing stored yet (404) is nothing to erase: a fresh conversation all the same.
    erase: async () => {
      const res = await api('/api/widget/session/erase', { method: 'POST', body: JSON.stringify({ session_id: externalId }) });
      return res.ok || res.status === 404;
    },
    fresh: async () => {
      await restart(false);
      input.focus();
    },
    say: (text) => void add({ author: 'system', body: text }),
  });
  // A new conversation; `keep`: the current one is listed under "Earlier conversations".
  async function restart(keep: boolean) {
    try {
      if (keep) localStorage.setItem(earlierKey, JSON.stringify([externalId, ...earlier()].slice(0, 10)));
    } catch {
      // this page's memory only
    }
    earlierBtn.hidden = !earlier().length;
    await switchTo(newId());
  }
  const earlierBtn = h('button', { type: 'button', class: 'erase', 'aria-label': t.earlier, title: t.earlier });
  earlierBtn.innerHTML = '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M13 3a9 9 0 1 0 9 9h-2a7 7 0 1 1-2.05-4.95L15 10h7V3l-2.64 2.64A8.97 8.97 0 0 0 13 3zm-1 5v5l4 2.5.8-1.3-3.3-2V8z"/></svg>';
  earlierBtn.hidden = !earlier().length;
  earlierBtn.onclick = () =>
    void loadPart<ConversationsPart>(cfg.api, 'conversations').then(
      (p) => p.list({ lang, h, root, panel, ids: earlier(), history: (id) => api(`/api/widget/history?session_id=${encodeURIComponent(id)}`), done: () => earlierBtn.focus() }),
      () => undefined,
    );
  header.append(who, earlierBtn, eraseBtn, closeBtn);

  // Another conversation from now on: a new one, or a verified visitor's from another device.
  async function switchTo(id: string) {
    stream?.close();
    stream = undefined;
    seen.clear();
    held.length = 0;
    started = false;
    mine = undefined;
    mineAt = '';
    status = 'bot';
    ready = false;
    externalId = id;
    try {
      localStorage.setItem(storeKey, externalId);
    } catch {
      // this page's memory only
    }
    await start();
  }

  renderStatus();
  (document.body ?? document.documentElement).append(host);
  emit = installSiteApi({
    open,
    isOpen: () => !panel.hidden,
    send: (text) => {
      open(true);
      submit(text.trim());
    },
    post: (path, body) => api(path, { method: 'POST', body: JSON.stringify(body) }),
    session: () => externalId,
    switchTo,
  });
})();
