import { useEffect, useState } from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';
export const THEMES: ThemeChoice[] = ['system', 'light', 'dark'];

// Per user (a shared office computer), plus the last choice to paint the sign-in page and the
// first frame before the user is known.
const LAST = 'bob.theme';
const keyFor = (userId: string) => `bob.theme.${userId}`;

const isChoice = (v: string | null): v is ThemeChoice => v === 'light' || v === 'dark' || v === 'system';

/** `data-theme` on <html> is what the CSS follows; "system" leaves it to prefers-color-scheme. */
export function applyTheme(choice: ThemeChoice): void {
  document.documentElement.dataset.theme = choice;
  window.dispatchEvent(new Event('bob:theme'));
}

export function applyLastTheme(): void {
  const last = localStorage.getItem(LAST);
  applyTheme(isChoice(last) ? last : 'system');
}

/** The signed-in user's theme: read from (and saved to) their own key, applied on change. */
export function useUserTheme(userId: string): [ThemeChoice, (c: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(() => {
    const saved = localStorage.getItem(keyFor(userId));
    return isChoice(saved) ? saved : 'system';
  });
  useEffect(() => {
    localStorage.setItem(keyFor(userId), choice);
    localStorage.setItem(LAST, choice);
    applyTheme(choice);
  }, [userId, choice]);
  return [choice, setChoice];
}

/** Calls back whenever the colours on screen may have changed: a chosen theme or the OS scheme. */
export function onThemeChange(cb: () => void): () => void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  window.addEventListener('bob:theme', cb);
  media.addEventListener('change', cb);
  return () => {
    window.removeEventListener('bob:theme', cb);
    media.removeEventListener('change', cb);
  };
}
