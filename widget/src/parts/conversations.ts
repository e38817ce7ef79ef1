// Several conversations per visitor (issue #23), loaded on demand: "Earlier conversations" (the
// visitor's earlier session ids kept in this browser, each with its date and last message, opened
// read-only through GET /api/widget/history) and the "Bob or a person?" choice asked before the
// first message when the business turns it on. Strings and styles are here.
import { definePart } from '../part-loader';
import type { Lang } from '../i18n';

const STRINGS = {
  en: {
    title: 'Earlier conversations',
    back: 'Back',
    close: 'Close earlier conversations',
    none: 'No earlier conversations.',
    failed: 'Could not load the conversation.',
    ask: (name: string) => `Chat with ${name} or wait for a person?`,
    bob: (name: string) => `Chat with ${name}`,
    person: 'Wait for a person',
  },
  it: {
    title: 'Conversazioni precedenti',
    back: 'Indietro',
    close: 'Chiudi le conversazioni precedenti',
    none: 'Nessuna conversazione precedente.',
    failed: 'Impossibile caricare la conversazione.',
    ask: (name: string) => `Vuoi chattare con ${name} o aspettare una persona?`,
    bob: (name: string) => `Chatta con ${name}`,
    person: 'Aspetta una persona',
  },
};

const CSS = `
.earlier{position:absolute;inset:0;background:var(--bg);display:flex;flex-direction:column;z-index:1}
.earlier .top{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--c);color:var(--i)}
.earlier .top h3{flex:1;margin:0;font-size:15px}
.earlier .top button{background:transparent;border:0;color:inherit;cursor:pointer;font-size:14px;border-radius:8px;padding:6px 8px}
.earlier .body{flex:1;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px}
.earlier ul{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
.earlier li button{width:100%;text-align:left;background:var(--card);border:1px solid var(--bd);border-radius:10px;padding:9px 12px;cursor:pointer;color:var(--tx);font-size:14px}
.earlier li time{display:block;font-size:12px;color:var(--mut);margin-bottom:2px}
.choose{align-self:stretch;background:var(--card);border:1px solid var(--bd);border-radius:12px;padding:12px;color:var(--tx)}
.choose p{margin:0 0 8px;font-weight:600}
.choose button{margin-right:8px;border:1px solid var(--bd2);background:var(--card);border-radius:999px;padding:7px 14px;cursor:pointer;font-size:13.5px;color:var(--tx)}
.choose button.bob{background:var(--c);border-color:var(--c);color:var(--i)}
`;

type Make = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, text?: string) => HTMLElementTagNameMap[K];
interface Msg {
  author: string;
  author_name?: string | null;
  body: string;
  created_at: string;
}
interface Common {
  lang: Lang;
  h: Make;
  root: ShadowRoot;
}

export interface ConversationsPart {
  /** Shows the earlier conversations over `panel`; `history` GETs /api/widget/history for an id; `done` when closed. */
  list(o: Common & { panel: HTMLElement; ids: string[]; history: (id: string) => Promise<Response>; done: () => void }): void;
  /** Asks "Bob or a person?" in `log`; the box goes once answered (or once the visitor writes). */
  choose(o: Common & { log: HTMLElement; persona: string; bob: () => void; person: () => void }): void;
}

function styled(o: Common) {
  if (o.root.querySelector('style[data-conversations]')) return;
  const style = o.h('style', { 'data-conversations': '' });
  style.textContent = CSS;
  o.root.append(style);
}

const part: ConversationsPart = {
  list(o) {
    styled(o);
    const s = STRINGS[o.lang];
    o.panel.querySelector('.earlier')?.remove();
    const view = o.h('div', { class: 'earlier', role: 'region', 'aria-label': s.title });
    const top = o.h('div', { class: 'top' });
    const back = o.h('button', { type: 'button', hidden: '' }, `← ${s.back}`);
    const heading = o.h('h3', {}, s.title);
    const close = o.h('button', { type: 'button', 'aria-label': s.close }, '×');
    const body = o.h('div', { class: 'body' });
    top.append(back, heading, close);
    view.append(top, body);
    const done = () => {
      view.remove();
      o.done();
    };
    close.onclick = done;
    view.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      done();
    });
    const load = async (id: string): Promise<Msg[]> => {
      const res = await o.history(id);
      if (!res.ok) throw new Error(String(res.status));
      return ((await res.json()) as { messages: Msg[] }).messages;
    };
    const when = (iso: string) => new Date(iso).toLocaleString(o.lang, { dateStyle: 'medium', timeStyle: 'short' });

    async function showList(focus?: string) {
      back.hidden = true;
      heading.textContent = s.title;
      body.textContent = '';
      const ul = o.h('ul');
      const found = await Promise.all(o.ids.map((id) => load(id).then((m) => ({ id, m }), () => ({ id, m: [] as Msg[] }))));
      for (const { id, m } of found) {
        const last = m.at(-1);
        if (!last) continue;
        const b = o.h('button', { type: 'button', 'data-session': id });
        b.append(o.h('time', { datetime: last.created_at }, when(last.created_at)), document.createTextNode(last.body.length > 80 ? `${last.body.slice(0, 80)}…` : last.body));
        b.onclick = () => void showOne(id, when(last.created_at));
        const li = o.h('li');
        li.append(b);
        ul.append(li);
      }
      body.append(ul.childElementCount ? ul : o.h('p', {}, s.none));
      (body.querySelector<HTMLElement>(focus ? `[data-session="${focus}"]` : 'button') ?? close).focus();
    }

    async function showOne(id: string, date: string) {
      back.hidden = false;
      back.onclick = () => void showList(id);
      heading.textContent = date;
      body.textContent = '';
      const log = o.h('div', { class: 'log', role: 'log', 'aria-label': date });
      try {
        for (const m of await load(id)) {
          const el = o.h('div', { class: `msg ${m.author}` });
          if (m.author === 'agent' && m.author_name) el.append(o.h('span', { class: 'by' }, m.author_name));
          el.append(document.createTextNode(m.body)); // text only, never HTML
          log.append(el);
        }
      } catch {
        log.append(o.h('p', { role: 'alert' }, s.failed));
      }
      body.append(log);
      back.focus();
    }

    o.panel.append(view);
    void showList();
  },

  choose(o) {
    styled(o);
    const s = STRINGS[o.lang];
    const box = o.h('div', { class: 'choose', role: 'group', 'aria-label': s.ask(o.persona) });
    const bob = o.h('button', { type: 'button', class: 'bob' }, s.bob(o.persona));
    const person = o.h('button', { type: 'button', class: 'person' }, s.person);
    bob.onclick = () => {
      box.remove();
      o.bob();
    };
    person.onclick = () => {
      box.remove();
      o.person();
    };
    box.append(o.h('p', {}, s.ask(o.persona)), bob, person);
    o.log.append(box);
  },
};
definePart('conversations', part);
