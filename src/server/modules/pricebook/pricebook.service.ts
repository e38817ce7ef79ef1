import type { Pricebook } from '../../../shared/schemas/pricebook';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { AuditRepo } from '../audit/audit.repo';
import type { EventBus } from '../events/events.bus';
import type { PricebookRepo } from './pricebook.repo';

export type PricebookService = ReturnType<typeof createPricebookService>;

/**
 * Versions of the platform's price list. Exactly one is published (what the public API and the
 * responder read); drafts are edited freely; published and archived versions never change.
 */
export function createPricebookService(deps: { repo: PricebookRepo; bus: EventBus; audit: AuditRepo; clock: Clock }) {
  const { repo, bus, audit, clock } = deps;

  const find = (version: number) => {
    const p = repo.get(version);
    if (!p) throw notFound('Pricebook version');
    return p;
  };
  const assertDraft = (p: Pricebook) => {
    if (p.status !== 'draft') throw conflict('pricebook_immutable', `Version ${p.version} is ${p.status} and cannot change: create a new draft`);
  };
  const record = (auth: AuthContext, ip: string, action: string, version: number, before: unknown, after: unknown) =>
    audit.record({ tenantId: auth.tenantId, actorId: auth.userId, actorEmail: auth.email, action, targetType: 'pricebook', targetId: String(version), before, after, ip });

  return {
    published(): Pricebook {
      const p = repo.published();
      if (!p) throw new HttpError(500, 'internal', 'No published pricebook');
      return p;
    },
    list: () => repo.list(),
    get: find,

    /** A new draft, copied from the published version. */
    createDraft(auth: AuthContext, ip: string): Pricebook {
      return bus.transaction(() => {
        const base = repo.published()!;
        const draft: Pricebook = { ...base, version: repo.nextVersion(), status: 'draft', published_at: null };
        repo.insert({ ...draft, at: clock.now().toISOString(), created_by: auth.userId });
        record(auth, ip, 'pricebook.draft_created', draft.version, null, draft);
        return draft;
      });
    },

    updateDraft(auth: AuthContext, ip: string, version: number, input: Partial<Pick<Pricebook, 'currency' | 'credits_per_ai_reply' | 'plans'>>): Pricebook {
      return bus.transaction(() => {
        const before = find(version);
        assertDraft(before);
        const after: Pricebook = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
        repo.updateDraft(after);
        record(auth, ip, 'pricebook.draft_updated', version, before, after);
        return after;
      });
    },

    publish(auth: AuthContext, ip: string, version: number): Pricebook {
      return bus.transaction((emit) => {
        const draft = find(version);
        assertDraft(draft);
        const previous = repo.published();
        repo.publish(version, clock.now().toISOString());
        const published = find(version);
        record(auth, ip, 'pricebook.published', version, previous ? { version: previous.version } : null, published);
        // The pricebook is platform-wide; its event belongs to the platform tenant.
        emit(auth.tenantId, 'pricebook.published', { version, previous_version: previous?.version ?? null, pricebook: published });
        return published;
      });
    },
  };
}
