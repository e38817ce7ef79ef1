// The business's privacy notice (issue #22), shown before the first message: with an Accept
// button when the business asks for consent (sending stays disabled until then), as information
// otherwise. The acceptance is kept next to the session id, per notice version.
import type { Dict } from './i18n';

export interface Consent {
  required: boolean;
  notice: string;
  policy_url: string;
  version: number;
}

type H = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string>, text?: string) => HTMLElementTagNameMap[K];

/** Whether this session accepted `c`'s version (kept in localStorage beside the session id). */
export const acceptedHere = (storeKey: string, session: string, c: Consent) => {
  try {
    return localStorage.getItem(storeKey) === `${session}:${c.version}`;
  } catch {
    return false;
  }
};

export const rememberAccepted = (storeKey: string, session: string, c: Consent) => {
  try {
    localStorage.setItem(storeKey, `${session}:${c.version}`);
  } catch {
    /* private mode: asked again after a reload */
  }
};

/**
 * The notice box. `accept` (only when consent is required) sends the acceptance and resolves
 * true once Bob recorded it; the button is then removed and the notice stays as information.
 */
export function consentBox(h: H, t: Dict, c: Consent, accept?: () => Promise<boolean>): HTMLElement {
  const box = h('div', { class: 'consent', role: 'region', 'aria-label': t.consentTitle });
  if (c.notice) box.append(h('p', {}, c.notice));
  if (c.policy_url) {
    const a = h('a', { href: c.policy_url, target: '_blank', rel: 'noopener noreferrer' }, t.consentPolicy);
    a.append(h('span', { class: 'sr' }, ` (${t.consentNewTab})`));
    const p = h('p');
    p.append(a);
    box.append(p);
  }
  if (accept) {
    const b = h('button', { type: 'button', class: 'accept' }, t.consentAccept);
    b.onclick = async () => {
      b.disabled = true;
      if (await accept()) b.remove();
      else b.disabled = false;
    };
    box.append(b);
  }
  return box;
}
