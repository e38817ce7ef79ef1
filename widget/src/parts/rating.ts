// The end of a conversation (issue #23), loaded on demand when it is closed (by a person, or by Bob
// when idle): 1–5 stars as a radio group (arrow keys move, as native radios do), an optional
// comment, POST /api/widget/rating; and "Start a new conversation". Strings and styles are here.
import { definePart } from '../part-loader';
import type { Lang } from '../i18n';

const STRINGS = {
  en: {
    ask: 'How was this conversation?',
    star: (n: number) => `${n} of 5`,
    comment: 'Anything to add? (optional)',
    send: 'Send rating',
    thanks: 'Thank you for your rating!',
    failed: 'Could not send the rating. Try again.',
    fresh: 'Start a new conversation',
  },
  it: {
    ask: 'Com\'è andata questa conversazione?',
    star: (n: number) => `${n} su 5`,
    comment: 'Vuoi aggiungere qualcosa? (facoltativo)',
    send: 'Invia la valutazione',
    thanks: 'Grazie per la valutazione!',
    failed: 'Impossibile inviare la valutazione. Riprova.',
    fresh: 'Inizia una nuova conversazione',
  },
};

const CSS = `
.end{align-self:stretch;background:var(--card);border:1px solid var(--bd);border-radius:12px;padding:12px;color:var(--tx);font-size:14px}
.end form{display:block;border:0;padding:0;background:transparent}
.end fieldset{border:0;margin:0;padding:0}
.end legend{font-weight:600;margin-bottom:6px;padding:0}
.end .stars{display:flex;gap:2px}
.end .stars input{position:absolute;opacity:0;width:1px;height:1px}
.end .stars label{font-size:26px;line-height:1;color:var(--bd2);cursor:pointer;padding:2px}
.end .stars label.on{color:var(--star)}
.end .stars input:focus-visible+label{outline:3px solid #93c5fd;border-radius:4px}
.end textarea{width:100%;margin-top:8px;min-height:54px}
.end button{margin-top:8px;margin-right:8px;border:1px solid var(--bd2);background:var(--card);border-radius:999px;padding:7px 14px;cursor:pointer;font-size:13.5px;color:var(--tx)}
.end button.send{background:var(--c);border-color:var(--c);color:var(--i)}
.end p{margin:0}
`;

type Make = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, text?: string) => HTMLElementTagNameMap[K];

export interface RatingPart {
  /**
   * Adds the end-of-conversation box to `log` and returns it (without the form when `rated`). `rate` posts the rating and answers
   * the HTTP status (201 stored, 409 already rated); `fresh` starts a new conversation.
   */
  show(o: { lang: Lang; h: Make; root: ShadowRoot; log: HTMLElement; rated: boolean; rate: (score: number, comment: string) => Promise<number>; fresh: () => void }): HTMLElement;
}

let n = 0;
const part: RatingPart = {
  show(o) {
    const s = STRINGS[o.lang];
    if (!o.root.querySelector('style[data-rating]')) {
      const style = o.h('style', { 'data-rating': '' });
      style.textContent = CSS;
      o.root.append(style);
    }
    const box = o.h('div', { class: 'end' });
    const form = o.h('form');
    const set = o.h('fieldset');
    set.append(o.h('legend', {}, s.ask));
    const stars = o.h('div', { class: 'stars' });
    const name = `bob-rating-${++n}`;
    // Native radios: one tab stop, arrow keys choose; the stars up to the chosen one light up.
    for (let v = 1; v <= 5; v++) {
      const id = `${name}-${v}`;
      const radio = o.h('input', { type: 'radio', name, value: String(v), id, 'aria-label': s.star(v) });
      radio.onchange = () => stars.querySelectorAll('label').forEach((l, i) => l.classList.toggle('on', i < v));
      stars.append(radio, o.h('label', { for: id, 'aria-hidden': 'true' }, '★'));
    }
    set.append(stars);
    const comment = o.h('textarea', { rows: '2', maxlength: '1000', 'aria-label': s.comment, placeholder: s.comment });
    const send = o.h('button', { type: 'submit', class: 'send' }, s.send);
    const status = o.h('p', { role: 'status' });
    form.append(set, comment, send, status);
    const fresh = o.h('button', { type: 'button', class: 'fresh' }, s.fresh);
    fresh.onclick = () => o.fresh();
    form.onsubmit = async (e) => {
      e.preventDefault();
      const picked = form.querySelector<HTMLInputElement>('input:checked');
      if (!picked) return void stars.querySelector<HTMLInputElement>('input')?.focus();
      send.disabled = true;
      const code = await o.rate(Number(picked.value), comment.value.trim()).catch(() => 0);
      if (code === 201 || code === 409) {
        const thanks = o.h('p', { role: 'status', tabindex: '-1' }, s.thanks);
        form.replaceWith(thanks);
        thanks.focus();
      } else {
        send.disabled = false;
        status.textContent = s.failed;
      }
    };
    // Already rated (a reload of a rated conversation): the thanks, not the form again.
    box.append(o.rated ? o.h('p', {}, s.thanks) : form, fresh);
    o.log.append(box);
    o.log.scrollTop = o.log.scrollHeight;
    return box;
  },
};
definePart('rating', part);
