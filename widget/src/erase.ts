// "Delete this conversation" (issue #22): the visitor erases their own conversation, after a
// confirmation, through POST /api/widget/session/erase (the same key and origin rules as the chat);
// then the widget starts a fresh one. Kept in its own module: its strings and styles are here too.
import type { Lang } from './i18n';

const STRINGS = {
  en: {
    erase: 'Delete this conversation',
    ask: 'Delete this conversation and everything you wrote in it? This cannot be undone.',
    yes: 'Delete',
    no: 'Cancel',
    failed: 'Could not delete the conversation. Try again.',
    done: 'Your conversation was deleted.',
  },
  it: {
    erase: 'Elimina questa conversazione',
    ask: 'Eliminare questa conversazione e tutto ciò che hai scritto? Non si può annullare.',
    yes: 'Elimina',
    no: 'Annulla',
    failed: 'Impossibile eliminare la conversazione. Riprova.',
    done: 'La conversazione è stata eliminata.',
  },
};

export const ERASE_CSS = `
.bar .erase svg{width:18px;height:18px;vertical-align:middle}
.confirm{align-self:stretch;background:var(--card);border:1px solid #fca5a5;border-radius:12px;padding:12px;color:var(--tx)}
.confirm p{margin:0 0 10px}
.confirm button{border:1px solid var(--bd2);background:var(--card);border-radius:999px;padding:7px 14px;cursor:pointer;font-size:13.5px;color:var(--tx);margin-right:8px}
.confirm button.yes{background:#b91c1c;border-color:#b91c1c;color:#fff}
`;

type Make = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, text?: string) => HTMLElementTagNameMap[K];

/**
 * The header's delete button. `erase` asks Bob to erase the current conversation (true: done);
 * `fresh` then starts a new one and resolves once it is shown; `say` adds a system line.
 */
export function eraseButton(o: { lang: Lang; h: Make; log: HTMLElement; erase: () => Promise<boolean>; fresh: () => Promise<void>; say: (text: string) => void }): HTMLButtonElement {
  const s = STRINGS[o.lang];
  const btn = o.h('button', { type: 'button', class: 'erase', 'aria-label': s.erase, title: s.erase });
  btn.innerHTML = '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M9 3h6l1 2h4v2H4V5h4l1-2zm-3 6h12l-1 12H7L6 9z"/></svg>';
  let box: HTMLElement | undefined;
  btn.onclick = () => {
    if (box?.isConnected) return void box.querySelector<HTMLButtonElement>('.no')?.focus();
    box = o.h('div', { class: 'confirm', role: 'alertdialog', 'aria-label': s.erase, 'aria-describedby': 'bob-erase-ask' });
    const text = o.h('p', { id: 'bob-erase-ask' }, s.ask);
    const yes = o.h('button', { type: 'button', class: 'yes' }, s.yes);
    const no = o.h('button', { type: 'button', class: 'no' }, s.no);
    const current = box;
    no.onclick = () => {
      current.remove();
      btn.focus();
    };
    // Escape cancels the question only (not the whole panel), as Cancel does.
    current.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || no.disabled) return;
      e.stopPropagation();
      no.click();
    });
    yes.onclick = async () => {
      yes.disabled = no.disabled = true;
      const ok = await o.erase().catch(() => false);
      if (!ok) {
        yes.disabled = no.disabled = false;
        text.textContent = s.failed;
        return;
      }
      current.remove();
      await o.fresh();
      o.say(s.done);
    };
    // Cancel first (it takes the focus), then Delete: the order of Mission Control's confirmations.
    box.append(text, no, yes);
    o.log.append(box);
    o.log.scrollTop = o.log.scrollHeight;
    no.focus();
  };
  return btn;
}
