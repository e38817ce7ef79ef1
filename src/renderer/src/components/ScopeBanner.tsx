import { useEffect, useRef } from 'react';
import { useSwitchBusiness } from '../api/businesses';
import { setBusinessScope, useBusinessScope } from '../api/scope';
import { useI18n } from '../i18n';
import { go } from '../router';

/**
 * While a platform admin views another business, every page says so, with the way back. Focus
 * lands on it when the view changes, so keyboard and screen reader users hear whose data this is.
 */
export function ScopeBanner() {
  const { t } = useI18n();
  const scope = useBusinessScope();
  const view = useSwitchBusiness();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (scope) ref.current?.focus();
  }, [scope]);
  // Signing out (this shell unmounts) ends the view: the next sign-in starts on its own business.
  useEffect(() => () => setBusinessScope(null), []);
  if (!scope) return null;
  return (
    <div ref={ref} tabIndex={-1} className="scope-banner" role="region" aria-label={t.businesses.viewing(scope.name)}>
      <span>{t.businesses.viewing(scope.name)}</span>
      <button type="button" onClick={() => { view(null); go('businesses'); }}>{t.businesses.back}</button>
    </div>
  );
}
