import { useState } from 'react';
import { useTeam, useTeamAction } from '../api/office';
import type { TeamMember } from '../api/types';
import { ErrorText } from '../components/ErrorText';
import { useI18n } from '../i18n';

export function TeamPage({ platform }: { platform: boolean }) {
  const { t } = useI18n();
  const team = useTeam();
  const act = useTeamAction();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<TeamMember['role']>('agent');
  const [invite, setInvite] = useState<string | null>(null);
  if (!team.data) return <p className="muted pad">{t.loading}</p>;
  const { seats } = team.data;
  const full = seats.limit !== null && seats.used >= seats.limit;
  const roles: TeamMember['role'][] = platform ? ['admin', 'agent'] : ['owner', 'agent'];

  return (
    <div className="pad stack page">
      <section className="card-block">
        <h2>{t.nav.team}</h2>
        <p className={full ? 'error' : 'muted'} role="status">{t.team.seats(seats.used, seats.limit)}</p>
        <table className="pricebook">
          <thead><tr><th>{t.team.name}</th><th>{t.team.email}</th><th>{t.team.role}</th><th><span className="sr-only">{t.team.statusColumn}</span></th><th><span className="sr-only">{t.team.actions}</span></th></tr></thead>
          <tbody>
            {team.data.data.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{t.roles[m.role]}</td>
                <td><span className={`pill ${m.status === 'active' ? 'bot' : m.status === 'disabled' ? 'closed' : ''}`}>{t.team.status[m.status]}</span></td>
                <td>
                  <button type="button" className={m.status === 'disabled' ? '' : 'danger'} onClick={() => act.mutate({ kind: 'patch', id: m.id, disabled: m.status !== 'disabled' })}>
                    {m.status === 'disabled' ? t.team.enable : t.team.disable}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ErrorText error={act.error} />
      </section>
      <section className="card-block">
        <form className="form stack" aria-label={t.team.add} onSubmit={(e) => {
          e.preventDefault();
          act.mutate({ kind: 'add', email, name, role }, { onSuccess: (m) => { setInvite('invite_url' in m ? (m.invite_url as string | null) : null); setEmail(''); setName(''); } });
        }}>
          <h3>{t.team.add}</h3>
          {full && <p className="muted">{t.team.full}</p>}
          <div className="row-fields three">
            <label>{t.team.name}<input required value={name} onChange={(e) => setName(e.target.value)} maxLength={80} /></label>
            <label>{t.team.email}<input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} /></label>
            <label>{t.team.role}<select value={role} onChange={(e) => setRole(e.target.value as TeamMember['role'])}>{roles.map((r) => <option key={r} value={r}>{t.roles[r]}</option>)}</select></label>
          </div>
          <div className="toolbar"><button type="submit" className="primary" disabled={full || act.isPending}>{t.team.add}</button></div>
          {invite && <div className="banner"><p>{t.team.inviteLink}</p><code className="small">{invite}</code></div>}
        </form>
      </section>
    </div>
  );
}
