import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  AnswerTest,
  AnswerTestAgainst,
  AnswerTestInput,
  AnswerTestResult,
  AnswerTestRun,
  AnswerTestSubject,
} from '../../../shared/schemas/answer-tests';
import type { CatalogVersion } from '../../../shared/schemas/catalog';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { Audit } from '../audit/audit.repo';
import type { CatalogRepo } from '../catalog/catalog.repo';
import type { ChatService } from '../chat/chat.service';
import type { PersonaRow, PersonasRepo } from '../personas/personas.repo';
import type { BusinessCatalog } from '../responder/business';
import { settingsOf, type TenantRow, type TenantsRepo } from '../tenants/tenants.repo';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { AnswerTestsRepo, RunTrigger, TestFields } from './answer-tests.repo';
import { evaluate } from './evaluate';

/** At most this many tests per business: a run asks every one of them. */
export const MAX_ANSWER_TESTS = 200;
/** Tests answered at once: a model responder can take seconds per answer. */
const CONCURRENCY = 4;

type Input = z.output<typeof AnswerTestInput>;

/** Who acts, on which business, from where: every write is audited in that business's log. */
export interface AnswerTestsActor {
  auth: AuthContext;
  tenantId: string;
  ip: string;
}

/**
 * What a publish would put live: the catalog version being published, or the default persona
 * with its new fields. Whatever is absent is taken as published.
 */
export interface Candidate {
  catalog?: CatalogVersion;
  persona?: PersonaRow;
}

/** What the responder answers from in a run, and how the run records it. */
interface Resolved {
  catalog: BusinessCatalog | null | undefined;
  persona: PersonaRow | undefined;
  subject: AnswerTestSubject;
}

/** The default persona with its draft's fields, where it has a draft. */
export function withDraft(row: PersonaRow): PersonaRow {
  if (!row.draft) return row;
  const d = JSON.parse(row.draft) as { name: string; description: string; tone: string; systemPrompt: string };
  return { ...row, name: d.name, description: d.description, tone: d.tone, system_prompt: d.systemPrompt };
}

const fieldsOf = (input: Input): TestFields => ({
  question: input.question,
  language: input.language ?? null,
  must_include: input.must_include,
  must_not_include: input.must_not_include,
  expect: input.expect,
});

export type AnswerTestsService = ReturnType<typeof createAnswerTestsService>;

/**
 * Answer tests (issue #18): questions with the words the answer must and must not carry, run in
 * bulk through the widget's responder path (chat.preview: nothing stored, no credit spent)
 * against what is published or what is about to be.
 */
export function createAnswerTestsService(deps: {
  /** Reads outside a unit of work. */
  repo: AnswerTestsRepo;
  /** Writes: each with its audit record in one transaction. */
  uow: UnitOfWork<{ answerTests: AnswerTestsRepo; tenants: Pick<TenantsRepo, 'holdLimits'> }>;
  chat: Pick<ChatService, 'preview'>;
  catalog: Pick<CatalogRepo, 'published' | 'draft'>;
  personas: Pick<PersonasRepo, 'defaultFor'>;
  tenants: TenantsRepo;
  clock: Clock;
}) {
  const { repo, uow, chat, clock } = deps;

  const tenantRow = async (tenantId: string): Promise<TenantRow> => {
    const t = await deps.tenants.byId(tenantId);
    if (!t) throw notFound('Business');
    return t;
  };
  const find = async (tenantId: string, id: string, r: AnswerTestsRepo = repo): Promise<AnswerTest> => {
    const t = await r.get(tenantId, id);
    if (!t) throw notFound('Answer test');
    return t;
  };
  const record = (audit: Audit, a: AnswerTestsActor, action: string, type: string, id: string, before: unknown, after: unknown) =>
    audit({ tenantId: a.tenantId, actorId: a.auth.userId, actorEmail: a.auth.email, action, targetType: type, targetId: id, before, after, ip: a.ip });

  /**
   * published: the published catalog and the default persona as published. draft: the open
   * catalog draft (else the published catalog) and the default persona's draft (else as
   * published). A candidate replaces either side; the other stays as published.
   */
  async function resolve(tenant: TenantRow, against: AnswerTestAgainst, candidate?: Candidate): Promise<Resolved> {
    let catalog: BusinessCatalog | null | undefined;
    let catalogStatus: AnswerTestSubject['catalog_status'] = null;
    if (!tenant.is_platform) {
      const published = await deps.catalog.published(tenant.id);
      const draft = candidate ? candidate.catalog : against === 'draft' ? await deps.catalog.draft(tenant.id) : undefined;
      const used = draft ?? published;
      catalog = used ? { version: used.version, currency: used.currency, items: used.items } : null;
      catalogStatus = used ? (draft ? 'draft' : 'published') : null;
    }
    const current = await deps.personas.defaultFor(tenant.id);
    let persona = current;
    let personaDraft = false;
    if (candidate?.persona) {
      persona = candidate.persona;
      personaDraft = true;
    } else if (!candidate && against === 'draft' && current?.draft) {
      persona = withDraft(current);
      personaDraft = true;
    }
    return {
      catalog,
      persona,
      subject: {
        catalog_version: catalog?.version ?? null,
        catalog_status: catalogStatus,
        persona: persona ? { id: persona.id, name: persona.name, version: persona.version, draft: personaDraft } : null,
      },
    };
  }

  async function answerOne(tenant: TenantRow, test: AnswerTest, r: Resolved): Promise<AnswerTestResult> {
    const { out, basis } = await chat.preview(tenant, test.question, { language: test.language ?? undefined, persona: r.persona, catalog: r.catalog });
    const verdict = evaluate(test, out);
    return {
      test_id: test.id,
      question: test.question,
      language: out.language,
      expect: test.expect,
      must_include: test.must_include,
      must_not_include: test.must_not_include,
      reply: out.text,
      outcome: verdict.outcome,
      basis,
      passed: verdict.passed,
      failures: verdict.failures,
      why: verdict.why,
    };
  }

  /** Asks every test, a few at a time, and stores the run with its results. */
  async function execute(a: AnswerTestsActor, tenant: TenantRow, tests: AnswerTest[], against: AnswerTestAgainst, trigger: RunTrigger, candidate?: Candidate): Promise<AnswerTestRun> {
    const resolved = await resolve(tenant, against, candidate);
    const results: AnswerTestResult[] = new Array(tests.length);
    let next = 0;
    const worker = async () => {
      while (next < tests.length) {
        const i = next++;
        results[i] = await answerOne(tenant, tests[i]!, resolved);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tests.length) }, worker));
    const passed = results.filter((r) => r.passed).length;
    const run: AnswerTestRun = {
      id: randomUUID(),
      against,
      trigger,
      subject: resolved.subject,
      total: results.length,
      passed,
      failed: results.length - passed,
      created_by: a.auth.userId,
      created_at: clock.now().toISOString(),
      results,
    };
    const { results: _r, ...summary } = run;
    await uow.run(async (tx) => {
      await tx.answerTests.insertRun(tenant.id, run);
      record(tx.audit, a, 'answer_test.run', 'answer_test_run', run.id, null, summary);
    });
    return run;
  }

  return {
    list: (tenantId: string) => repo.list(tenantId),
    get: (tenantId: string, id: string) => find(tenantId, id),

    create: (a: AnswerTestsActor, input: Input): Promise<AnswerTest> =>
      uow.run(async ({ answerTests, tenants, audit }) => {
        await tenants.holdLimits(a.tenantId);
        if ((await answerTests.count(a.tenantId)) >= MAX_ANSWER_TESTS) {
          throw conflict('answer_test_limit', `A business can keep at most ${MAX_ANSWER_TESTS} answer tests: delete some first`, { limit: MAX_ANSWER_TESTS });
        }
        const id = randomUUID();
        await answerTests.insert(a.tenantId, id, fieldsOf(input), clock.now().toISOString());
        const created = await find(a.tenantId, id, answerTests);
        record(audit, a, 'answer_test.created', 'answer_test', id, null, created);
        return created;
      }),

    update: (a: AnswerTestsActor, id: string, input: Input): Promise<AnswerTest> =>
      uow.run(async ({ answerTests, audit }) => {
        const before = await find(a.tenantId, id, answerTests);
        await answerTests.update(a.tenantId, id, fieldsOf(input), clock.now().toISOString());
        const after = await find(a.tenantId, id, answerTests);
        record(audit, a, 'answer_test.updated', 'answer_test', id, before, after);
        return after;
      }),

    remove: (a: AnswerTestsActor, id: string): Promise<void> =>
      uow.run(async ({ answerTests, audit }) => {
        const before = await find(a.tenantId, id, answerTests);
        await answerTests.remove(a.tenantId, id);
        record(audit, a, 'answer_test.deleted', 'answer_test', id, before, null);
      }),

    /** A run asked for by a person: every test, against what is published or the drafts. */
    async run(a: AnswerTestsActor, against: AnswerTestAgainst): Promise<AnswerTestRun> {
      const tests = await repo.list(a.tenantId);
      if (!tests.length) throw new HttpError(400, 'no_tests', 'There are no answer tests to run: write one first');
      return execute(a, await tenantRow(a.tenantId), tests, against, 'manual');
    },

    runs: (f: Parameters<typeof repo.runs>[0]) => repo.runs(f),
    async getRun(tenantId: string, id: string): Promise<AnswerTestRun> {
      const r = await repo.run(tenantId, id);
      if (!r) throw notFound('Answer test run');
      return r;
    },

    /**
     * The publish gate: when the business blocks publishing on failed tests and has any, runs
     * them against the candidate (stored, against 'draft') and refuses with 409
     * `answer_tests_failed` if one fails. Nothing is run when the setting is off.
     */
    async check(a: AnswerTestsActor, candidate: Candidate, trigger: Exclude<RunTrigger, 'manual'>): Promise<void> {
      const tenant = await tenantRow(a.tenantId);
      if (!settingsOf(tenant).block_publish_on_failed_tests) return;
      const tests = await repo.list(tenant.id);
      if (!tests.length) return;
      const run = await execute(a, tenant, tests, 'draft', trigger, candidate);
      if (run.failed === 0) return;
      const failing = run.results.filter((r) => !r.passed).map((r) => ({ test_id: r.test_id, question: r.question, why: r.why }));
      throw conflict(
        'answer_tests_failed',
        `${run.failed} of ${run.total} answer tests fail with this change, and this business does not publish while a test fails: nothing was changed`,
        { run_id: run.id, failing },
      );
    },
  };
}
