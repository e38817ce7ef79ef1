import { useState } from 'react';
import { useBusinesses, useChangePlan, useCreateBusiness, useSwitchBusiness, type Business, type NewBusiness } from '../api/businesses';
import { usePublishedPricebook } from '../api/governance';
import type { Plan } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorText } from '../components/ErrorText';
import { go } from '../router';
import { useI18n } from '../i18n';
import { PlatformRetentionForm } from './business/PlatformRetentionForm';

/** The id a name suggests: "Trattoria da Gino" → "trattoria-da-gino" (accents dropped, as the slug rule wants). */
export const slugOf = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');

function usePlanLabel() {
  const { t, lang } = useI18n();
  const pricebook = usePublishedPricebook();
  const money = new Intl.NumberFormat(lang, { style: 'currency', currency: pricebook.data?.currency ?? 'USD', maximumFractionDigits: 0 });
  const plans = pricebook.data?.plans ?? [];
  const label = (id: string) => {
    const p = plans.find((x) => x.id === id);
    return p ? t.businesses.planOption(p.name, money.format(p.price_month)) : id;
  };
  return { plans, label };
}

export function BusinessesPage() {
  const { t, lang } = useI18n();
  const list = useBusinesses();
  const { plans, label } = usePlanLabel();
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
  const num = new Intl.NumberFormat(lang);
  return (
    <div className="pad stack page">
      <section className="card-block stack">
        <h2>{t.nav.businesses}</h2>
        <p className="muted">{t.businesses.intro}</p>
        {list.isPending && <p className="muted">{t.loading}</p>}
        <ErrorText error={list.error} />
        {rows.length > 0 && (
          <table className="pricebook cards">
            <thead>
              <tr><th>{t.businesses.name}</th><th>{t.businesses.plan}</th><th>{t.businesses.owner}</th><th>{t.businesses.usage}</th><th>{t.businesses.createdOn}</th><th><span className="sr-only">{t.businesses.actions}</span></th></tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id} aria-label={b.name}>
                  <td data-label={t.businesses.name}><strong>{b.name}</strong><br /><span className="muted small">{b.slug}</span></td>
                  <td data-label={t.businesses.plan}><PlanPicker business={b} plans={plans} label={label} /></td>
                  <td data-label={t.businesses.owner}>{b.owner ? <>{b.owner.name}<br /><span className="muted small">{b.owner.email}</span></> : <span className="muted">{t.businesses.noOwner}</span>}</td>
                  <td data-label={t.businesses.usage}>{t.businesses.usageLine(b.usage.conversations, num.format(b.usage.conversations), num.format(b.usage.credits_used), num.format(b.usage.credits_allowance))}</td>
                  <td data-label={t.businesses.createdOn}><time dateTime={b.created_at}>{day.format(new Date(b.created_at))}</time></td>
                  <td>{!b.is_platform && <ViewAs business={b} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.hasNextPage && <div><button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>{t.businesses.more}</button></div>}
      </section>
      <CreateBusiness plans={plans} label={label} />
      <PlatformRetentionForm />
    </div>
  );
}

function ViewAs({ business }: { business: Business }) {
  const { t } = useI18n();
  const view = useSwitchBusiness();
  return (
    <button type="button" aria-label={t.businesses.viewAsLabel(business.name)} onClick={() => { view({ slug: business.slug, name: business.name }); go('live'); }}>
      {t.businesses.viewAs}
    </button>
  );
}

function PlanPicker({ business, plans, label }: { business: Business; plans: Plan[]; label: (id: string) => string }) {
  const { t } = useI18n();
  const change = useChangePlan();
  const [plan, setPlan] = useState(business.plan_id);
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="plan-picker">
      <select aria-label={t.businesses.planFor(business.name)} value={plan} onChange={(e) => setPlan(e.target.value)}>
        {!plans.some((p) => p.id === business.plan_id) && <option value={business.plan_id}>{business.plan_id}</option>}
        {plans.map((p) => <option key={p.id} value={p.id}>{label(p.id)}</option>)}
      </select>
      <button type="button" disabled={plan === business.plan_id || change.isPending} onClick={() => setConfirming(true)}>{t.businesses.changePlan}</button>
      <ErrorText error={change.error} />
      {confirming && (
        <ConfirmDialog
          title={t.businesses.confirmTitle(business.name)}
          body={t.businesses.confirmBody(label(business.plan_id), label(plan))}
          confirm={t.businesses.changePlan}
          busy={change.isPending}
          onClose={() => setConfirming(false)}
          onConfirm={() => change.mutate({ id: business.id, plan_id: plan }, { onSettled: () => setConfirming(false) })}
        >
          {null}
        </ConfirmDialog>
      )}
    </div>
  );
}

function CreateBusiness({ plans, label }: { plans: Plan[]; label: (id: string) => string }) {
  const { t } = useI18n();
  const create = useCreateBusiness();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState<string | null>(null); // null: follow the name
  const [plan, setPlan] = useState('');
  const [email, setEmail] = useState('');
  const [ownerName, setOwnerName] = useState('');
  const [done, setDone] = useState<NewBusiness | null>(null);
  const planId = plan || plans[0]?.id || '';
  return (
    <section className="card-block">
      <form
        className="form stack"
        aria-label={t.businesses.create}
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(
            { name: name.trim(), slug: slug ?? slugOf(name), plan_id: planId, owner_email: email.trim(), ...(ownerName.trim() ? { owner_name: ownerName.trim() } : {}) },
            { onSuccess: (r) => { setDone(r); setName(''); setSlug(null); setEmail(''); setOwnerName(''); } },
          );
        }}
      >
        <h3>{t.businesses.create}</h3>
        <div className="row-fields">
          <label>{t.businesses.name}<input required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} /></label>
          <label>{t.businesses.slugLabel}<input required minLength={2} maxLength={64} pattern="[a-z0-9]+(-[a-z0-9]+)*" aria-describedby="business-slug-help" value={slug ?? slugOf(name)} onChange={(e) => setSlug(e.target.value)} /></label>
        </div>
        <p id="business-slug-help" className="muted small">{t.businesses.slugHelp}</p>
        <div className="row-fields three">
          <label>{t.businesses.plan}<select required value={planId} onChange={(e) => setPlan(e.target.value)}>{plans.map((p) => <option key={p.id} value={p.id}>{label(p.id)}</option>)}</select></label>
          <label>{t.businesses.ownerEmail}<input type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} /></label>
          <label>{t.businesses.ownerName}<input maxLength={80} value={ownerName} onChange={(e) => setOwnerName(e.target.value)} /></label>
        </div>
        <ErrorText error={create.error} />
        <div className="toolbar"><button type="submit" className="primary" disabled={create.isPending || !planId}>{create.isPending ? t.businesses.creating : t.businesses.create}</button></div>
      </form>
      {done && <Created result={done} />}
    </section>
  );
}

/** The answer of a create: the owner's invite link, which the server never shows again. */
function Created({ result }: { result: NewBusiness }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const link = result.owner.invite_url;
  return (
    <div className="banner warn" role="status">
      <p><strong>{t.businesses.created(result.tenant.name)}</strong></p>
      {link && (
        <>
          <p>{t.businesses.inviteLink(result.owner.email)}</p>
          <div className="snippet">
            <code data-testid="invite-link">{link}</code>
            <button type="button" onClick={() => void navigator.clipboard.writeText(link).then(() => setCopied(true))}>{copied ? t.widget.copied : t.widget.copy}</button>
          </div>
        </>
      )}
    </div>
  );
}
