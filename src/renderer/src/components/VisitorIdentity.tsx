import { useQuery } from '@tanstack/react-query';
import type { VisitorProfile } from '../../../shared/schemas/identity';
import { api } from '../api/client';
import { keys } from '../api/keys';
import { useI18n } from '../i18n';

/** The transcript header's line about who the visitor is: verified by a token, or only said by the site's page (issue #23). */
export function VisitorIdentity({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: [...keys.sessions.detail(sessionId), 'visitor'],
    queryFn: () => api<VisitorProfile>(`/api/chat/sessions/${encodeURIComponent(sessionId)}/visitor`),
  });
  const p = q.data;
  if (!p) return null;
  const verified = p.identity;
  const name = verified ? verified.name : p.name;
  const email = verified ? verified.email : p.email;
  const attrs = Object.entries(p.attributes);
  if (!verified && !name && !email && !attrs.length) return null;
  return (
    <p className="muted small visitor-identity" data-testid="visitor-identity">
      {[name, email].filter(Boolean).join(' · ') || verified?.sub}{' '}
      <span className={`pill ${verified ? 'agent' : 'closed'}`} title={verified ? t.identity.verifiedTitle : t.identity.unverifiedTitle}>
        {verified ? t.identity.verified : t.identity.unverified}
      </span>
      {attrs.length > 0 && (
        <span title={t.identity.unverifiedTitle}>
          {' · '}
          {attrs.map(([k, v]) => `${k}: ${String(v)}`).join(', ')}
        </span>
      )}
    </p>
  );
}
