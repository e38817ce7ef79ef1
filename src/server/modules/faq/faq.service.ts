import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { Audit } from '../audit/audit.repo';
import type { FaqRepo, FaqRow } from './faq.repo';

/** Who edits which business's FAQ, from where: every write is audited in that business's log. */
export interface FaqActor {
  tenantId: string;
  auth: AuthContext;
  ip: string;
}

const toEntry = ({ tenant_id: _t, ...e }: FaqRow) => e;

export type FaqService = ReturnType<typeof createFaqService>;

/** The tenant's question/answer pairs that the responder retrieves (SPEC §7). */
export function createFaqService(deps: {
  /** Reads outside a unit of work. */
  repo: FaqRepo;
  /** Writes: each with its audit record in one transaction. */
  uow: UnitOfWork<{ faq: FaqRepo }>;
  clock: Clock;
}) {
  const { repo, uow, clock } = deps;
  const find = async (r: FaqRepo, tenantId: string, id: string) => {
    const row = await r.byId(tenantId, id);
    if (!row) throw notFound('FAQ entry');
    return toEntry(row);
  };
  const record = (audit: Audit, a: FaqActor, action: string, id: string, before: unknown, after: unknown) =>
    audit({ tenantId: a.tenantId, actorId: a.auth.userId, actorEmail: a.auth.email, action, targetType: 'faq', targetId: id, before, after, ip: a.ip });

  return {
    list: async (tenantId: string) => (await repo.forTenant(tenantId)).map(toEntry),

    create: (a: FaqActor, input: { question: string; answer: string }) =>
      uow.run(async ({ faq, audit }) => {
        const id = randomUUID();
        await faq.insert({ id, tenant_id: a.tenantId, ...input, at: clock.now().toISOString() });
        const created = await find(faq, a.tenantId, id);
        record(audit, a, 'faq.created', id, null, created);
        return created;
      }),

    update: (a: FaqActor, id: string, input: { question: string; answer: string }) =>
      uow.run(async ({ faq, audit }) => {
        const before = await find(faq, a.tenantId, id);
        await faq.update(a.tenantId, id, input.question, input.answer, clock.now().toISOString());
        const after = await find(faq, a.tenantId, id);
        record(audit, a, 'faq.updated', id, before, after);
        return after;
      }),

    remove: (a: FaqActor, id: string): Promise<void> =>
      uow.run(async ({ faq, audit }) => {
        const before = await find(faq, a.tenantId, id);
        await faq.remove(a.tenantId, id);
        record(audit, a, 'faq.deleted', id, before, null);
      }),
  };
}
