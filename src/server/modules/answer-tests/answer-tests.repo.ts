import type { AnswerTest, AnswerTestAgainst, AnswerTestResult, AnswerTestRun, AnswerTestRunSummary, AnswerTestSubject } from '../../../shared/schemas/answer-tests';
import type { Selectable } from 'kysely';
import type { AnswerTestRunsTable, AnswerTestsTable } from '../../storage/schema';
import type { Storage } from '../../storage/sqlite';

export type RunTrigger = AnswerTestRunSummary['trigger'];

type TestRow = Selectable<AnswerTestsTable>;
type RunRow = Selectable<AnswerTestRunsTable>;

/** A test's editable part, as stored. */
export interface TestFields {
  question: string;
  language: 'en' | 'it' | null;
  must_include: string[];
  must_not_include: string[];
  expect: 'answer' | 'handoff';
}

const toTest = (r: TestRow): AnswerTest => ({
  id: r.id,
  question: r.question,
  language: r.language,
  must_include: JSON.parse(r.must_include) as string[],
  must_not_include: JSON.parse(r.must_not_include) as string[],
  expect: r.expect,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

const toSummary = (r: Omit<RunRow, 'results'>): AnswerTestRunSummary => ({
  id: r.id,
  against: r.against,
  trigger: r.trigger,
  subject: JSON.parse(r.subject) as AnswerTestSubject,
  total: r.total,
  passed: r.passed,
  failed: r.failed,
  created_by: r.created_by,
  created_at: r.created_at,
});

const SUMMARY_COLUMNS = ['id', 'tenant_id', 'against', 'trigger', 'total', 'passed', 'failed', 'subject', 'created_by', 'created_at'] as const;

const stored = (t: TestFields) => ({ ...t, must_include: JSON.stringify(t.must_include), must_not_include: JSON.stringify(t.must_not_include) });

export type AnswerTestsRepo = ReturnType<typeof createAnswerTestsRepo>;

/** Each business's answer tests and the runs kept with their results. */
export function createAnswerTestsRepo(db: Storage) {
  const tests = (tenantId: string) => db.selectFrom('answer_tests').where('tenant_id', '=', tenantId);
  return {
    list: async (tenantId: string) => (await tests(tenantId).selectAll().orderBy('created_at').orderBy('id').execute()).map(toTest),
    get: async (tenantId: string, id: string) => {
      const r = await tests(tenantId).selectAll().where('id', '=', id).executeTakeFirst();
      return r && toTest(r);
    },
    count: async (tenantId: string) => Number((await tests(tenantId).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    insert: async (tenantId: string, id: string, t: TestFields, at: string) => {
      await db
        .insertInto('answer_tests')
        .values({ id, tenant_id: tenantId, ...stored(t), created_at: at, updated_at: at })
        .execute();
    },
    update: async (tenantId: string, id: string, t: TestFields, at: string) => {
      const r = await db.updateTable('answer_tests').set({ ...stored(t), updated_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    remove: async (tenantId: string, id: string) => {
      const r = await db.deleteFrom('answer_tests').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },

    insertRun: async (tenantId: string, r: AnswerTestRun) => {
      await db
        .insertInto('answer_test_runs')
        .values({
          id: r.id,
          tenant_id: tenantId,
          against: r.against,
          trigger: r.trigger,
          total: r.total,
          passed: r.passed,
          failed: r.failed,
          subject: JSON.stringify(r.subject),
          results: JSON.stringify(r.results),
          created_by: r.created_by,
          created_at: r.created_at,
        })
        .execute();
    },
    async run(tenantId: string, id: string): Promise<AnswerTestRun | undefined> {
      const r = await db.selectFrom('answer_test_runs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && { ...toSummary(r), results: JSON.parse(r.results) as AnswerTestResult[] };
    },
    /** Runs newest first, without their results; `before` continues after a page's last run. */
    async runs(f: { tenantId: string; against?: AnswerTestAgainst; before?: { at: string; id: string }; limit: number }): Promise<AnswerTestRunSummary[]> {
      const { against, before } = f;
      const rows = await db
        .selectFrom('answer_test_runs')
        .select(SUMMARY_COLUMNS)
        .where('tenant_id', '=', f.tenantId)
        .$if(against !== undefined, (q) => q.where('against', '=', against!))
        .$if(before !== undefined, (q) =>
          q.where((eb) => eb.or([eb('created_at', '<', before!.at), eb.and([eb('created_at', '=', before!.at), eb('id', '<', before!.id)])])),
        )
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(f.limit)
        .execute();
      return rows.map(toSummary);
    },
  };
}
