// Issue #23: Live's and History's filters (status, label, assignee, channel), kept in the address's
// query (#/live?label=…) so a filtered view can be shared; the lists ask the server with them.
import { FILTER_KEYS, useLabels, useTeammates, type SessionFilter } from '../api/agent-tools';
import { useMe } from '../api/auth';
import { useI18n } from '../i18n';
import { routeQuery } from '../router';

/** The filters in the address (read while rendering: the route re-renders on every hash change). */
export function filterFromRoute(): SessionFilter {
  const q = routeQuery();
  const f: SessionFilter = {};
  for (const k of FILTER_KEYS) {
    const v = q.get(k);
    if (v) f[k] = v;
  }
  return f;
}

/** `?label=…&…` for links within the filtered view (empty when nothing is filtered). */
export function filterQuery(f: SessionFilter): string {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k]) p.set(k, f[k]!);
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function ConversationFilters({ base, filter, statuses }: { base: string; filter: SessionFilter; statuses?: readonly string[] }) {
  const { t } = useI18n();
  const me = useMe();
  const labels = useLabels();
  const teammates = useTeammates();
  const set = (k: keyof SessionFilter, v: string) => {
    window.location.hash = `#/${base}${filterQuery({ ...filter, [k]: v || undefined })}`;
  };
  const statusList = statuses ?? Object.keys(t.agentTools.statuses);
  return (
    <div className="filters conversation-filters" role="group" aria-label={t.agentTools.filters}>
      <select aria-label={t.agentTools.filterStatus} value={filter.status ?? ''} onChange={(e) => set('status', e.target.value)}>
        <option value="">{t.history.all}</option>
        {statusList.map((k) => <option key={k} value={k}>{t.agentTools.statuses[k]}</option>)}
      </select>
      <select aria-label={t.agentTools.filterLabel} value={filter.label ?? ''} onChange={(e) => set('label', e.target.value)}>
        <option value="">{t.agentTools.anyLabel}</option>
        {labels.data?.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
      </select>
      <select aria-label={t.agentTools.filterAssignee} value={filter.assignee ?? ''} onChange={(e) => set('assignee', e.target.value)}>
        <option value="">{t.agentTools.anyAssignee}</option>
        <option value="me">{t.agentTools.mine}</option>
        <option value="anyone">{t.agentTools.assignedAnyone}</option>
        <option value="unassigned">{t.agentTools.unassigned}</option>
        {teammates.data?.filter((m) => m.id !== me.data?.user.id).map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
      </select>
      <select aria-label={t.agentTools.filterChannel} value={filter.channel ?? ''} onChange={(e) => set('channel', e.target.value)}>
        <option value="">{t.agentTools.anyChannel}</option>
        <option value="widget">{t.agentTools.channels.widget}</option>
        <option value="web">{t.agentTools.channels.web}</option>
      </select>
    </div>
  );
}
