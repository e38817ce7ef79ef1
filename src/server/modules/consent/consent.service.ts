import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { HttpError } from '../../errors';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { AppSettingsRepo } from '../settings/app-settings.repo';
import { settingsOf, type TenantRow } from '../tenants/tenants.repo';
import type { ConsentsRepo } from './consent.repo';

/** This install's salt for visitors' address hashes (app_settings; made once, never sent anywhere). */
const SALT_KEY = 'privacy.ip_salt';

export type ConsentService = ReturnType<typeof createConsentService>;

/** The notice a tenant's visitors accept, as its settings hold it. */
export function consentOf(tenant: Pick<TenantRow, 'settings'>) {
  const s = settingsOf(tenant);
  return { required: s.consent_required === true, version: s.consent_version ?? 0, notice: s.consent_notice ?? { en: '', it: '' }, policyUrl: s.privacy_policy_url ?? '' };
}

export function createConsentService(deps: { repo: ConsentsRepo; appSettings: AppSettingsRepo; uow: UnitOfWork<{ consents: ConsentsRepo }>; clock: Clock }) {
  let salt: Promise<string> | undefined;
  const saltOf = () =>
    (salt ??= (async () => {
      await deps.appSettings.putIfAbsent(SALT_KEY, JSON.stringify(randomBytes(32).toString('hex')), deps.clock.now().toISOString());
      return JSON.parse((await deps.appSettings.get(SALT_KEY))!) as string;
    })().catch((err: unknown) => {
      salt = undefined;
      throw err;
    }));

  return {
    /** The chat gate (widget and anonymous paths): 403 consent_required until this conversation accepted the current notice. */
    async check(tenant: TenantRow, externalId: string): Promise<void> {
      const c = consentOf(tenant);
      if (!c.required || (await deps.repo.accepted(tenant.id, externalId, c.version))) return;
      throw new HttpError(403, 'consent_required', 'This business asks visitors to accept its privacy notice before chatting: POST /api/widget/consent (or /api/chat/consent) with the session_id first.', {
        version: c.version,
      });
    },

    /** Records that conversation `externalId` accepted the tenant's current notice (at most once per version). */
    async accept(tenant: TenantRow, externalId: string, ip: string): Promise<{ session_id: string; version: number; accepted: true }> {
      const { version } = consentOf(tenant);
      const ipHash = ip ? createHash('sha256').update(`${await saltOf()}:${ip}`).digest('hex') : null;
      await deps.uow.run(async (t) => {
        await t.consents.accept({ id: randomUUID(), tenant_id: tenant.id, session_external_id: externalId, version, accepted_at: deps.clock.now().toISOString(), ip_hash: ipHash });
      });
      return { session_id: externalId, version, accepted: true };
    },
  };
}
