import { useState } from 'react';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../../shared/webhook-events';
import { useDeliveries, useDelivery, useWebhookAction, useWebhooks } from '../api/webhooks';
import type { WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint, WebhookEndpointWithSecret } from '../api/types';
import { ErrorText } from '../components/ErrorText';
import { useI18n } from '../i18n';
import { formatDateTime, formatTime } from '../format';


export function WebhooksPage() {
  const { t } = useI18n();
  const list = useWebhooks();
  const act = useWebhookAction();
  const [secret, setSecret] = useState<string | null>(null);
  if (!list.data) return <p className="muted pad">{list.isError ? t.error : t.loading}</p>;
  const { used, limit } = list.data.integrations;
  const full = used >= limit;

  return (
    <div className="pad stack page">
      <section className="card-block">
        <h2>{t.nav.webhooks}</h2>
        <p className="muted">{t.webhooks.intro}</p>
        <p className={full ? 'error' : 'muted'} role="status">{t.webhooks.used(used, limit)}</p>
        {secret && <SecretBanner secret={secret} onDone={() => setSecret(null)} />}
        {list.data.data.length === 0 && <p className="muted">{t.webhooks.empty}</p>}
        {list.data.data.map((e) => <EndpointCard key={e.id} e={e} onSecret={setSecret} />)}
      </section>

      <section className="card-block">
        <h3>{t.webhooks.add}</h3>
        {full ? (
          <p className="muted">{t.webhooks.full}</p>
        ) : (
          <EndpointForm
            submitLabel={t.webhooks.add}
            pending={act.isPending}
            error={act.error}
            onSubmit={(v, reset) => act.mutate({ kind: 'create', ...v }, { onSuccess: (r) => { setSecret((r as WebhookEndpointWithSecret).secret); reset(); } })}
          />
        )}
      </section>
    </div>
  );
}

function SecretBanner({ secret, onDone }: { secret: string; onDone: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="banner warn" role="alert">
      <p>{t.webhooks.secretOnce}</p>
      <div className="snippet">
        <code data-testid="webhook-secret">{secret}</code>
        <button type="button" onClick={() => void navigator.clipboard.writeText(secret).then(() => setCopied(true))}>{copied ? t.widget.copied : t.widget.copy}</button>
      </div>
      <div className="toolbar"><button type="button" className="primary" onClick={onDone}>{t.webhooks.done}</button></div>
    </div>
  );
}

interface FormValues {
  url: string;
  description: string;
  events: WebhookEventType[];
}

function EndpointForm(props: { initial?: FormValues; submitLabel: string; pending: boolean; error: unknown; onSubmit: (v: FormValues, reset: () => void) => void; onCancel?: () => void }) {
  const { t } = useI18n();
  const empty: FormValues = { url: '', description: '', events: [...WEBHOOK_EVENT_TYPES] };
  const [v, setV] = useState<FormValues>(props.initial ?? empty);
  const toggle = (ev: WebhookEventType) => setV((x) => ({ ...x, events: x.events.includes(ev) ? x.events.filter((e) => e !== ev) : [...x.events, ev] }));
  return (
    <form className="form stack" aria-label={props.submitLabel} onSubmit={(e) => {
      e.preventDefault();
      props.onSubmit(v, () => setV(empty));
    }}>
      <label>{t.webhooks.url}<input type="url" required value={v.url} onChange={(e) => setV({ ...v, url: e.target.value })} placeholder="https://crm.example.com/hooks/bob" maxLength={2000} /></label>
      <label>{t.webhooks.description}<input value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} maxLength={200} /></label>
      <fieldset className="events">
        <legend>{t.webhooks.events}</legend>
        {WEBHOOK_EVENT_TYPES.map((ev) => (
          <label key={ev} className="check">
            <input type="checkbox" checked={v.events.includes(ev)} onChange={() => toggle(ev)} />
            <span>{t.webhooks.eventNames[ev]} <code className="small muted">{ev}</code></span>
          </label>
        ))}
      </fieldset>
      <ErrorText error={props.error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={props.pending || v.events.length === 0}>{props.pending && <span className="spinner" aria-hidden="true" />}{props.submitLabel}</button>
        {props.onCancel && <button type="button" onClick={props.onCancel}>{t.cancel}</button>}
      </div>
    </form>
  );
}

function EndpointCard({ e, onSecret }: { e: WebhookEndpoint; onSecret: (s: string) => void }) {
  const { t, lang } = useI18n();
  const act = useWebhookAction();
  const [editing, setEditing] = useState(false);
  const [open, setOpen] = useState(false);
  const [test, setTest] = useState<WebhookDeliveryDetail | null>(null);
  const state = e.enabled ? 'on' : e.disabled_reason ? 'offByBob' : 'off';

  if (editing) {
    return (
      <article className="key" aria-label={e.url}>
        <EndpointForm
          initial={{ url: e.url, description: e.description, events: e.events }}
          submitLabel={t.save}
          pending={act.isPending}
          error={act.error}
          onSubmit={(v) => act.mutate({ kind: 'update', id: e.id, ...v }, { onSuccess: () => setEditing(false) })}
          onCancel={() => setEditing(false)}
        />
      </article>
    );
  }
  const lastTry = test?.attempt_log.at(-1);
  return (
    <article className={`key${e.enabled ? '' : ' off'}`} aria-label={e.url}>
      <div className="key-head">
        <code className="endpoint-url">{e.url}</code>
        <span className={`pill ${state === 'on' ? 'bot' : state === 'offByBob' ? 'waiting_for_agent' : 'closed'}`}>{t.webhooks[state]}</span>
        {e.waiting > 0 && <span className="pill agent">{t.webhooks.waiting(e.waiting)}</span>}
        {e.failed > 0 && <span className="pill waiting_for_agent">{t.webhooks.failed(e.failed)}</span>}
      </div>
      {e.description && <p className="muted small">{e.description}</p>}
      {e.dropped > 0 && <p className="error small" role="status">{t.webhooks.dropped(e.dropped)}</p>}
      {e.disabled_reason && (
        <p className="error small" role="status">{e.disabled_reason} {t.webhooks.resumeHelp}</p>
      )}
      <p className="muted small">
        {e.events.map((ev) => t.webhooks.eventNames[ev]).join(' · ')}
        <br />
        {t.webhooks.secret}: <code>{e.secret_hint}</code> · {t.webhooks.lastDelivery}: {e.last_delivery_at ? formatDateTime(e.last_delivery_at, lang) : t.webhooks.never}
      </p>
      <ErrorText error={act.error} small />
      {test && lastTry && (
        <p className={test.status === 'delivered' ? 'ok small' : 'error small'} role="status">
          {test.status === 'delivered' ? t.webhooks.testOk(lastTry.response_status ?? 0, lastTry.duration_ms) : t.webhooks.testFailed(lastTry.error ?? `HTTP ${lastTry.response_status}`)}
        </p>
      )}
      <div className="toolbar">
        <button type="button" onClick={() => act.mutate({ kind: 'update', id: e.id, enabled: !e.enabled })} disabled={act.isPending}>{e.enabled ? t.webhooks.turnOff : t.webhooks.turnOn}</button>
        <button type="button" onClick={() => act.mutate({ kind: 'test', id: e.id }, { onSuccess: (r) => setTest(r as WebhookDeliveryDetail) })} disabled={act.isPending}>
          {act.isPending && act.variables?.kind === 'test' && <span className="spinner" aria-hidden="true" />}{t.webhooks.test}
        </button>
        <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}>{open ? t.webhooks.hideDeliveries : t.webhooks.deliveries}</button>
        <button type="button" onClick={() => setEditing(true)}>{t.webhooks.edit}</button>
        <button type="button" onClick={() => window.confirm(t.webhooks.confirmRotate) && act.mutate({ kind: 'rotate', id: e.id }, { onSuccess: (r) => onSecret((r as WebhookEndpointWithSecret).secret) })}>{t.webhooks.rotate}</button>
        <button type="button" className="danger" onClick={() => window.confirm(t.webhooks.confirmRemove) && act.mutate({ kind: 'delete', id: e.id })}>{t.webhooks.remove}</button>
      </div>
      {open && <Deliveries endpointId={e.id} />}
    </article>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t } = useI18n();
  const list = useDeliveries(endpointId);
  const [detail, setDetail] = useState<number | null>(null);
  if (!list.data) return <p className="muted small">{t.loading}</p>;
  if (list.data.data.length === 0) return <p className="muted small">{t.webhooks.noDeliveries}</p>;
  return (
    <div className="table-scroll">
    <table className="pricebook deliveries">
      <thead>
        <tr><th>{t.audit.when}</th><th>{t.webhooks.event}</th><th>{t.webhooks.state}</th><th>{t.webhooks.attemptLog}</th><th /></tr>
      </thead>
      <tbody>
        {list.data.data.map((d) => (
          <DeliveryRow key={d.id} endpointId={endpointId} d={d} open={detail === d.id} onToggle={() => setDetail(detail === d.id ? null : d.id)} />
        ))}
      </tbody>
    </table>
    </div>
  );
}

function DeliveryRow({ endpointId, d, open, onToggle }: { endpointId: string; d: WebhookDelivery; open: boolean; onToggle: () => void }) {
  const { t, lang } = useI18n();
  const act = useWebhookAction();
  const last = d.last_status ? `HTTP ${d.last_status}` : d.last_error;
  return (
    <>
      <tr>
        <td className="small">{formatDateTime(d.created_at, lang)}</td>
        <td><code className="small">{d.type}</code></td>
        <td><span className={`pill ${d.status === 'delivered' ? 'bot' : d.status === 'failed' ? 'waiting_for_agent' : 'agent'}`}>{t.webhooks.status[d.status]}</span></td>
        <td className="small">
          {t.webhooks.attempts(d.attempts)}{last ? ` · ${last}` : ''}
          {d.next_attempt_at && d.attempts > 0 && <> · {t.webhooks.nextAttempt} {formatTime(d.next_attempt_at, lang)}</>}
        </td>
        <td className="actions">
          <button type="button" onClick={onToggle} aria-expanded={open}>{t.webhooks.details}</button>
          {d.status !== 'pending' && d.type !== 'webhook.test' && (
            <button type="button" onClick={() => act.mutate({ kind: 'redeliver', id: endpointId, deliveryId: d.id })} disabled={act.isPending}>{t.webhooks.redeliver}</button>
          )}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}><DeliveryDetail endpointId={endpointId} deliveryId={d.id} /></td>
        </tr>
      )}
    </>
  );
}

function DeliveryDetail({ endpointId, deliveryId }: { endpointId: string; deliveryId: number }) {
  const { t, lang } = useI18n();
  const q = useDelivery(endpointId, deliveryId);
  if (!q.data) return <p className="muted small">{t.loading}</p>;
  let body = q.data.request.body;
  try {
    body = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    /* shown as sent */
  }
  return (
    <div className="stack delivery-detail">
      <div>
        <h4>{t.webhooks.request}</h4>
        <p className="small muted"><code>POST {q.data.request.url}</code> · webhook-id <code>{q.data.msg_id}</code></p>
        <pre className="code">{body}</pre>
      </div>
      <div>
        <h4>{t.webhooks.attemptLog}</h4>
        <ol className="small attempts">
          {q.data.attempt_log.map((a, i) => (
            <li key={i}>
              {formatDateTime(a.at, lang)} · {a.duration_ms} ms · {a.response_status ? `HTTP ${a.response_status}` : t.webhooks.noAnswer}
              {a.error && <> · <span className="error">{a.error}</span></>}
              {a.response_body && <pre className="code">{a.response_body}</pre>}
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}
