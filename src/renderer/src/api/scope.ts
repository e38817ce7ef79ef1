import { useSyncExternalStore } from 'react';

/** The business a platform admin is looking at instead of their own (Businesses → View as admin). */
export interface BusinessScope {
  slug: string;
  name: string;
}

let current: BusinessScope | null = null;
const listeners = new Set<() => void>();

export const businessScope = () => current;

/** Changes the scope; the caller refetches what it shows (see useSwitchBusiness). */
export function setBusinessScope(next: BusinessScope | null) {
  current = next;
  for (const l of listeners) l();
}

export const useBusinessScope = () =>
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    businessScope,
  );

/**
 * The staff routes that take `?business_id=` (their query schema declares it; any other route
 * refuses an undeclared parameter with 400). Sessions are listed per business, but one session is
 * found by its id whatever the business, so its detail and actions are left out. The platform's
 * own routes (pricebook, settings, tenants, auth) are too.
 */
const SCOPED = [
  /^\/api\/chat\/sessions?$/,
  /^\/api\/tenant$/,
  /^\/api\/(personas|widget-keys|webhooks|faq|team|catalog\/versions)(\/.*)?$/,
  /^\/api\/widget\/setup$/,
  /^\/api\/(audit|usage|retention)$/,
  /^\/api\/knowledge(\/.*)?$/,
  /^\/api\/insights\/(unanswered|outcomes)$/,
  /^\/api\/answer-tests(\/.*)?$/,
  /^\/api\/visitors(\/.*)?$/,
  // When nobody is there (#23): Live → Requests and Settings → Email.
  /^\/api\/callbacks(\/.*)?$/,
  /^\/api\/settings\/email(\/test)?$/,
  /^\/api\/canned-responses(\/.*)?$/,
  /^\/api\/chat\/(labels|teammates)(\/.*)?$/,
];

/** `path` with the current business scope added when the route takes one. */
export function scoped(path: string): string {
  if (!current) return path;
  const q = path.indexOf('?');
  const pathname = q < 0 ? path : path.slice(0, q);
  if (!SCOPED.some((r) => r.test(pathname))) return path;
  const params = new URLSearchParams(q < 0 ? '' : path.slice(q + 1));
  params.set('business_id', current.slug);
  return `${pathname}?${params}`;
}
