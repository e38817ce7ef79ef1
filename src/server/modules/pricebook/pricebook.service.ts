import type { Pricebook } from '../../../shared/schemas/pricebook';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { Audit } from '../audit/audit.repo';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { PricebookRepo } from './pricebook.repo';

export type PricebookService = ReturnType<typeof createPricebookService>;

/**
 * Versions of the platform's price list. Exactly one is published (what the public API and the
 * responder read); drafts are edited freely; published and archived versions never change.
 */
export function createPricebookService(deps: {
  /** Reads outside a unit of work. */
  repo: PricebookRepo;
  /** Writes: each with its audit record (and event) in one transaction. */
  uow: UnitOfWork<{ pricebook: PricebookRepo }>;
  clock: Clock;
}) {
  const { repo, uow, clock } = deps;

  const find = async (version: number, r: PricebookRepo = repo) => {
    const p = await r.get(version);
    if (!p) throw notFound('Pricebook version');
    return p;
  };
  const assertDraft = (p: Pricebook) => {
    if (p.status !== 'draft') throw conflict('pricebook_immutable', `Version ${p.version} is ${p.status} and cannot change: create a new draft`);
  };
  const record = (audit: Audit, auth: AuthContext, ip: string, action: string, version: number, before: unknown, after: unknown) =>
    audit({ tenantId: auth.tenantId, actorId: auth.userId, actorEmail: auth.email, action, targetType: 'pricebook', targetId: String(version), before, after, ip });

  return {
    async published(): Promise<Pricebook> {
      const p = await repo.published();
      if (!p) throw new HttpError(500, 'internal', 'No published pricebook');
      return p;
    },
    list: () => repo.list(),
    get: (version: number) => find(version),

    /** A new draft, copied from the published version. */
    createDraft(auth: AuthContext, ip: string): Promise<Pricebook> {
      return uow.run(async ({ pricebook, audit }) => {
        const base = (await pricebook.published())!;
        const draft: Pricebook = { ...base, version: await pricebook.nextVersion(), status: 'draft', published_at: null };
        await pricebook.insert({ ...draft, at: clock.now().toISOString(), created_by: auth.userId });
        record(audit, auth, ip, 'pricebook.draft_created', draft.version, null, draft);
        return draft;
      });
    },

    updateDraft(auth: AuthContext, ip: string, version: number, input: Partial<Pick<Pricebook, 'currency' | 'credits_per_ai_reply' | 'plans'>>): Promise<Pricebook> {
      return uow.run(async ({ pricebook, audit }) => {
        const before = await find(version, pricebook);
        assertDraft(before);
        const after: Pricebook = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
        await pricebook.updateDraft(after);
        record(audit, auth, ip, 'pricebook.draft_updated', version, before, after);
        return after;
      });
    },

    publish(auth: AuthContext, ip: string, version: number): Promise<Pricebook> {
      return uow.run(async ({ pricebook, emit, audit }) => {
        const draft = await find(version, pricebook);
        assertDraft(draft);
        const previous = await pricebook.published();
        await pricebook.publish(version, clock.now().toISOString());
        const published = await find(version, pricebook);
        record(audit, auth, ip, 'pricebook.published', version, previous ? { version: previous.version } : null, published);
        // The pricebook is platform-wide; its event belongs to the platform tenant.
        emit(auth.tenantId, 'pricebook.published', { version, previous_version: previous?.version ?? null, pricebook: published });
        return published;
      });
    },
  };
}
