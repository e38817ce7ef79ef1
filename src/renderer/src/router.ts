import { useEffect, useState } from 'react';

const hash = () => window.location.hash.replace(/^#\/?/, '');

/** Hash routes (#/live, #/personas…) work the same in the desktop window and any browser. A `?query` is not a segment. */
export function useRoute(): string[] {
  const read = () => hash().split('?')[0]!.split('/').filter(Boolean);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const go = (path: string) => {
  window.location.hash = `#/${path}`;
};

/** The hash route's query (`#/knowledge/faq-new?q=…`): read while rendering the page useRoute() re-renders. */
export const routeQuery = () => new URLSearchParams(hash().split('?').slice(1).join('?'));
