// Issue #23: a conversation's labels and assignee, in the transcript's header; the same labels
// and assignee in the conversation lists (SessionTags).
import { useState } from 'react';
import { useAssign, useLabels, useSetLabels, useTeammates, type ChatLabel } from '../api/agent-tools';
import { useMe } from '../api/auth';
import type { ChatSession } from '../api/types';
import { useI18n } from '../i18n';

/** A label as a coloured chip. */
export function LabelChip({ label }: { label: Pick<ChatLabel, 'name' | 'color'> }) {
  return <span className={`label-chip label-${label.color}`}>{label.name}</span>;
}

/** The list row's tags: labels, and who has the conversation. */
export function SessionTags({ session }: { session: ChatSession }) {
  const { t } = useI18n();
  const me = useMe();
  const teammates = useTeammates();
  const assignee = session.assigned_user_id ? teammates.data?.find((m) => m.id === session.assigned_user_id) : undefined;
  if (!session.labels?.length && !session.assigned_user_id) return null;
  return (
    <span className="session-tags">
      {session.labels?.map((l) => <LabelChip key={l.id} label={l} />)}
      {session.assigned_user_id && (
        <span className="muted small assignee-tag">
          {session.assigned_user_id === me.data?.user.id ? t.agentTools.assignedToMe : t.agentTools.assignedTo(assignee?.name ?? '…')}
        </span>
      )}
    </span>
  );
}

/** Labels (checkboxes in a disclosure) and the assignee (a select), for staff who may change them. */
export function SessionTools({ session, readOnly }: { session: ChatSession; readOnly?: boolean }) {
  const { t } = useI18n();
  const me = useMe();
  const labels = useLabels();
  const teammates = useTeammates();
  const setLabels = useSetLabels();
  const assign = useAssign();
  const canManage = !readOnly && !!me.data?.user.permissions.includes('chat.manage');
  // While a change is on its way, the controls show what was asked for (set in the same render as the click).
  const [askedLabels, setAskedLabels] = useState<string[] | null>(null);
  const [askedAssignee, setAskedAssignee] = useState<string | null | undefined>(undefined);
  const current = new Set(askedLabels ?? (session.labels ?? []).map((l) => l.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(current);
    if (on) next.add(id);
    else next.delete(id);
    setAskedLabels([...next]);
    setLabels.mutate({ id: session.id, labels: [...next] }, { onSettled: () => setAskedLabels(null) });
  };
  const reassign = (userId: string | null) => {
    setAskedAssignee(userId);
    assign.mutate({ id: session.id, user_id: userId }, { onSettled: () => setAskedAssignee(undefined) });
  };
  return (
    <div className="session-tools">
      <ul className="label-list" aria-label={t.agentTools.labels}>
        {(session.labels ?? []).map((l) => <li key={l.id}><LabelChip label={l} /></li>)}
      </ul>
      {canManage && (
        <details className="label-picker">
          <summary>{t.agentTools.editLabels}</summary>
          <fieldset>
            <legend className="sr-only">{t.agentTools.labels}</legend>
            {labels.data?.length === 0 && <p className="muted small">{t.agentTools.noLabels}</p>}
            {labels.data?.map((l) => (
              <label key={l.id} className="check">
                <input type="checkbox" checked={current.has(l.id)} onChange={(e) => toggle(l.id, e.target.checked)} />
                <LabelChip label={l} />
              </label>
            ))}
          </fieldset>
        </details>
      )}
      <label className="assignee">
        <span className="small muted">{t.agentTools.assignee}</span>
        <select
          value={(askedAssignee === undefined ? session.assigned_user_id : askedAssignee) ?? ''}
          disabled={!canManage}
          onChange={(e) => reassign(e.target.value || null)}
        >
          <option value="">{t.agentTools.nobody}</option>
          {teammates.data?.map((m) => (
            <option key={m.id} value={m.id}>{m.id === me.data?.user.id ? t.agentTools.meName(m.name) : m.name}</option>
          ))}
        </select>
      </label>
    </div>
  );
}
