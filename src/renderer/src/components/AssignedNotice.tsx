// Issue #23: "Anna assigned you a conversation": a notice (and the title) when a teammate assigns
// the signed-in person a conversation; it links to the conversation in Live.
import { useEffect, useState } from 'react';
import type { StaffStreamData } from '../../../shared/events';
import { ASSIGNED_EVENT } from '../api/agent-tools';
import { useI18n } from '../i18n';

type Assigned = StaffStreamData<'session.assigned'>;

export function AssignedNotice({ userId }: { userId: string }) {
  const { t } = useI18n();
  const [notice, setNotice] = useState<Assigned | null>(null);
  useEffect(() => {
    const on = (e: Event) => {
      const d = (e as CustomEvent<Assigned>).detail;
      if (d.assignee?.id !== userId || d.by.id === userId) return;
      setNotice(d);
      document.title = `• ${t.agentTools.assignedYou(d.by.name)} — Bob`;
    };
    window.addEventListener(ASSIGNED_EVENT, on);
    return () => window.removeEventListener(ASSIGNED_EVENT, on);
  }, [userId, t]);
  return (
    <div className="assigned-notice" role="status">
      {notice && (
        <p className="toast">
          <a href={`#/live/${notice.session.id}`} onClick={() => setNotice(null)}>{t.agentTools.assignedYou(notice.by.name)}</a>
          <button type="button" className="chip-remove" aria-label={t.agentTools.dismiss} onClick={() => setNotice(null)}>×</button>
        </p>
      )}
    </div>
  );
}
