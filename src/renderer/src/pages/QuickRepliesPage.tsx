// Issue #23: the business's quick replies (typed as /shortcut in Live) and conversation labels.
import { useState, type FormEvent } from 'react';
import { LABEL_COLORS } from '../../../shared/label-colors';
import { useCanned, useCannedMutations, useLabelMutations, useLabels, type CannedResponse, type ChatLabel } from '../api/agent-tools';
import { ApiError } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { LabelChip } from '../components/SessionTools';
import { useI18n } from '../i18n';

const EMPTY = { shortcut: '', title: '', body_en: '', body_it: '' };

function Problem({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (error instanceof ApiError && error.code === 'shortcut_taken') return <p className="error" role="alert">{t.agentTools.shortcutTaken}</p>;
  if (error instanceof ApiError && error.code === 'label_exists') return <p className="error" role="alert">{t.agentTools.labelExists}</p>;
  return <ErrorText error={error} />;
}

export function QuickRepliesPage() {
  const { t } = useI18n();
  const canned = useCanned();
  const m = useCannedMutations();
  const [editing, setEditing] = useState<CannedResponse | null>(null);
  const [form, setForm] = useState(EMPTY);
  const field = (k: keyof typeof EMPTY) => ({ value: form[k], onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }) });
  const done = () => {
    setEditing(null);
    setForm(EMPTY);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (editing) m.update.mutate({ id: editing.id, ...form }, { onSuccess: done });
    else m.create.mutate(form, { onSuccess: done });
  };
  const error = m.create.error ?? m.update.error ?? m.remove.error;

  return (
    <div className="pad stack page">
      <section className="card-block">
        <h2>{t.agentTools.quickReplies}</h2>
        <p className="muted">{t.agentTools.quickRepliesIntro}</p>
        {canned.isPending && <p className="muted">{t.loading}</p>}
        {canned.data?.length === 0 && <p className="muted">{t.agentTools.noQuickReplies}</p>}
        {!!canned.data?.length && (
          <table className="pricebook cards">
            <thead>
              <tr><th>{t.agentTools.shortcut}</th><th>{t.agentTools.title}</th><th>{t.agentTools.bodyEn}</th><th>{t.agentTools.bodyIt}</th><th><span className="sr-only">{t.team.actions}</span></th></tr>
            </thead>
            <tbody>
              {canned.data.map((c) => (
                <tr key={c.id}>
                  <td data-label={t.agentTools.shortcut}><code>/{c.shortcut}</code></td>
                  <td data-label={t.agentTools.title}>{c.title}</td>
                  <td className="small" data-label={t.agentTools.bodyEn}>{c.body_en}</td>
                  <td className="small" data-label={t.agentTools.bodyIt}>{c.body_it}</td>
                  <td className="toolbar">
                    <button type="button" onClick={() => { setEditing(c); setForm({ shortcut: c.shortcut, title: c.title, body_en: c.body_en, body_it: c.body_it }); }} aria-label={t.agentTools.editNamed(c.shortcut)}>{t.agentTools.edit}</button>
                    <button type="button" className="danger" onClick={() => m.remove.mutate(c.id)} aria-label={t.agentTools.deleteNamed(c.shortcut)}>{t.agentTools.delete}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card-block">
        <form className="form stack" aria-label={editing ? t.agentTools.editQuickReply : t.agentTools.addQuickReply} onSubmit={submit}>
          <h3>{editing ? t.agentTools.editQuickReply : t.agentTools.addQuickReply}</h3>
          <div className="row-fields">
            <label>{t.agentTools.shortcut}<input required pattern="[a-z0-9\-]{1,32}" maxLength={32} title={t.agentTools.shortcutRule} {...field('shortcut')} /></label>
            <label>{t.agentTools.title}<input required maxLength={80} {...field('title')} /></label>
          </div>
          <label>{t.agentTools.bodyEn}<textarea required rows={3} maxLength={4000} {...field('body_en')} /></label>
          <label>{t.agentTools.bodyIt}<textarea required rows={3} maxLength={4000} {...field('body_it')} /></label>
          <div className="toolbar">
            <button type="submit" className="primary" disabled={m.create.isPending || m.update.isPending}>{editing ? t.save : t.agentTools.addQuickReply}</button>
            {editing && <button type="button" onClick={done}>{t.cancel}</button>}
          </div>
          {!!error && <Problem error={error} />}
        </form>
      </section>
      <LabelsSection />
    </div>
  );
}

function LabelsSection() {
  const { t } = useI18n();
  const labels = useLabels();
  const m = useLabelMutations();
  const [name, setName] = useState('');
  const [color, setColor] = useState<ChatLabel['color']>('blue');
  return (
    <section className="card-block">
      <h2>{t.agentTools.labels}</h2>
      <p className="muted">{t.agentTools.labelsIntro}</p>
      {labels.data?.length === 0 && <p className="muted">{t.agentTools.noLabels}</p>}
      <ul className="chips">
        {labels.data?.map((l) => (
          <li key={l.id}>
            <LabelChip label={l} />
            <button type="button" className="chip-remove" aria-label={t.agentTools.deleteNamed(l.name)} onClick={() => m.remove.mutate(l.id)}>×</button>
          </li>
        ))}
      </ul>
      <form className="form" aria-label={t.agentTools.addLabel} onSubmit={(e) => { e.preventDefault(); m.create.mutate({ name: name.trim(), color }, { onSuccess: () => setName('') }); }}>
        <div className="row-fields">
          <label>{t.agentTools.labelName}<input required maxLength={40} value={name} onChange={(e) => setName(e.target.value)} /></label>
          <label>{t.agentTools.labelColor}
            <select value={color} onChange={(e) => setColor(e.target.value as ChatLabel['color'])}>
              {LABEL_COLORS.map((c) => <option key={c} value={c}>{t.agentTools.colors[c]}</option>)}
            </select>
          </label>
        </div>
        <div className="toolbar"><button type="submit" className="primary" disabled={m.create.isPending}>{t.agentTools.addLabel}</button></div>
        {!!(m.create.error ?? m.remove.error) && <Problem error={m.create.error ?? m.remove.error} />}
      </form>
    </section>
  );
}
