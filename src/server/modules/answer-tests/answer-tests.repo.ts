import type { AnswerTest, AnswerTestAgainst, AnswerTestResult, AnswerTestRun, AnswerTestRunSummary, AnswerTestSubject } from '../../../shared/schemas/answer-tests';
import type { Db } from '../../db/client';

export type RunTrigger = AnswerTestRunSummary['trigger'];

interface TestRow {
  id: string;
  tenant_id: string;
  question: string;
  language: 'en' | 'it' | null;
  must_include: string;
  must_not_include: string;
  expect: 'answer' | 'handoff';
  created_at: string;
  updated_at: string;
}

interface RunRow {
  id: string;
  tenant_id: string;
  against: AnswerTestAgainst;
  trigger: RunTrigger;
  total: number;
  passed: number;
  failed: number;
  subject: string;
  results: string;
  created_by: string | null;
  created_at: string;
}

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

const toSummary = (r: RunRow): AnswerTestRunSummary => ({
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

const SUMMARY_COLUMNS = 'id, tenant_id, against, trigger, total, passed, failed, subject, created_by, created_at';

export type AnswerTestsRepo = ReturnType<typeof createAnswerTestsRepo>;

/** Each business's answer tests and the runs kept with their results. */
export function createAnswerTestsRepo(db: Db) {
  const all = db.prepare<[string], TestRow>('SELECT * FROM answer_tests WHERE tenant_id = ? ORDER BY created_at, id');
  const one = db.prepare<[string, string], TestRow>('SELECT * FROM answer_tests WHERE tenant_id = ? AND id = ?');
  const count = db.prepare<[string], number>('SELECT COUNT(*) FROM answer_tests WHERE tenant_id = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO answer_tests (id, tenant_id, question, language, must_include, must_not_include, expect, created_at, updated_at)
     VALUES (@id, @tenant_id, @question, @language, @must_include, @must_not_include, @expect, @at, @at)`,
  );
  const update = db.prepare(
    `UPDATE answer_tests SET question = @question, language = @language, must_include = @must_include, must_not_include = @must_not_include,
       expect = @expect, updated_at = @at WHERE tenant_id = @tenant_id AND id = @id`,
  );
  const remove = db.prepare('DELETE FROM answer_tests WHERE tenant_id = ? AND id = ?');
  const insertRun = db.prepare(
    `INSERT INTO answer_test_runs (id, tenant_id, against, trigger, total, passed, failed, subject, results, created_by, created_at)
     VALUES (@id, @tenant_id, @against, @trigger, @total, @passed, @failed, @subject, @results, @created_by, @created_at)`,
  );
  const run = db.prepare<[string, string], RunRow>('SELECT * FROM answer_test_runs WHERE tenant_id = ? AND id = ?');
  const stored = (t: TestFields) => ({ ...t, must_include: JSON.stringify(t.must_include), must_not_include: JSON.stringify(t.must_not_include) });

  return {
    list: (tenantId: string) => all.all(tenantId).map(toTest),
    get: (tenantId: string, id: string) => {
      const r = one.get(tenantId, id);
      return r && toTest(r);
    },
    count: (tenantId: string) => count.get(tenantId) as number,
    insert: (tenantId: string, id: string, t: TestFields, at: string) => insert.run({ id, tenant_id: tenantId, ...stored(t), at }),
    update: (tenantId: string, id: string, t: TestFields, at: string) => update.run({ id, tenant_id: tenantId, ...stored(t), at }).changes > 0,
    remove: (tenantId: string, id: string) => remove.run(tenantId, id).changes > 0,

    insertRun: (tenantId: string, r: AnswerTestRun) =>
      insertRun.run({
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
      }),
    run(tenantId: string, id: string): AnswerTestRun | undefined {
      const r = run.get(tenantId, id);
      return r && { ...toSummary(r), results: JSON.parse(r.results) as AnswerTestResult[] };
    },
    /** Runs newest first, without their results; `before` continues after a page's last run. */
    runs(f: { tenantId: string; against?: AnswerTestAgainst; before?: { at: string; id: string }; limit: number }): AnswerTestRunSummary[] {
      const where = ['tenant_id = ?'];
      const args: (string | number)[] = [f.tenantId];
      if (f.against) (where.push('against = ?'), args.push(f.against));
      if (f.before) (where.push('(created_at < ? OR (created_at = ? AND id < ?))'), args.push(f.before.at, f.before.at, f.before.id));
      args.push(f.limit);
      const rows = db
        .prepare<(string | number)[], RunRow>(`SELECT ${SUMMARY_COLUMNS} FROM answer_test_runs WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
        .all(...args);
      return rows.map(toSummary);
    },
  };
}
