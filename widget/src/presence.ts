// Presence in a conversation (issue #23), the widget's side: formatted messages (DOM nodes with
// text only, never HTML), timestamps, the unread badge, the page title and the optional beep.
import { formatMessage, type FormatNode } from '../../src/shared/message-format';

/**
 * A message's formatted body. Line breaks stay "\n" text (the bubble keeps white space), so the
 * bubble's text is the message's; links open in a new tab without access to this page.
 */
export function formatted(text: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  let para = false;
  for (const n of formatMessage(text)) {
    const p = typeof n != 'string' && n.tag == 'p';
    if (p && para) out.push('\n\n');
    out.push(...dom(n));
    para = p;
  }
  return out;
}

function dom(n: FormatNode): (Node | string)[] {
  if (typeof n == 'string') return [n];
  if (n.tag == 'br') return ['\n'];
  if (n.tag == 'p') return n.children.flatMap(dom);
  const e = document.createElement(n.tag);
  if (n.href) {
    (e as HTMLAnchorElement).href = n.href;
    (e as HTMLAnchorElement).target = '_blank';
    (e as HTMLAnchorElement).rel = 'noopener noreferrer';
  }
  e.append(...n.children.flatMap(dom));
  return [e];
}

/** The time under a message: short local time, the full date in its title. */
export function stamp(lang: string, iso?: string): HTMLElement {
  const d = iso ? new Date(iso) : new Date();
  const t = document.createElement('time');
  t.dateTime = d.toISOString();
  t.title = d.toLocaleString(lang);
  t.textContent = d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
  return t;
}

let audio: AudioContext | undefined;
/** A short soft beep (Web Audio, no file); silent where the page may not play sound yet. */
export function beep() {
  try {
    const a = (audio ??= new AudioContext());
    const o = a.createOscillator();
    const g = a.createGain();
    g.gain.value = 0.05;
    o.connect(g).connect(a.destination);
    o.start();
    o.stop(a.currentTime + 0.15);
  } catch {
    // no sound
  }
}

/** "(n) New message" as the tab's title while it is hidden; the page's own again once it is seen. */
export function titleFlasher(label: string) {
  let n = 0;
  let own = '';
  let timer: ReturnType<typeof setInterval> | undefined;
  document.addEventListener('visibilitychange', () => {
    if (document.hidden || !n) return;
    clearInterval(timer);
    document.title = own;
    n = 0;
  });
  return () => {
    if (!document.hidden) return;
    if (!n++) {
      own = document.title;
      // Flashes: the page's own title and "(n) New message" in turn, until the tab is seen again.
      timer = setInterval(() => (document.title = document.title === own ? `(${n}) ${label}` : own), 1000);
    }
    document.title = `(${n}) ${label}`;
  };
}
