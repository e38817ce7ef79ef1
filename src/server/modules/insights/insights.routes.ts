import { InsightsQuery, OutcomesReport, UnansweredReport, type OutcomeDay } from '../../../shared/schemas/insights';
import type { Clock } from '../../clock';
import { HttpError } from '../../errors';
import { authOf } from '../../http/context';
import { lazy } from '../../lazy';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { groupUnanswered } from './grouping';
import type { InsightsRepo, OutcomeCounts } from './insights.repo';

// csv-stringify loads with the first CSV export, not when the server starts.
const csvStringify = lazy<typeof import('csv-stringify/sync')>('csv-stringify/sync');

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const CSV = 'text/csv';
const CSV_COLUMNS = ['date', 'conversations', 'answered_by_bot', 'handed_to_person', 'abandoned', 'resolved_without_person'] as const;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Answered by Bob alone / conversations, to four decimals; null with no conversations. */
const share = (bot: number, all: number) => (all ? Math.round((bot / all) * 10_000) / 10_000 : null);

export function registerInsightsRoutes(api: ApiRouter, deps: { insights: InsightsRepo; tenants: TenantsRepo; clock: Clock }) {

  /** The requested UTC days (default: the last 30, today included) and the exclusive end. */
  const period = (q: { from?: string; to?: string }) => {
    const to = q.to ?? day(deps.clock.now().getTime());
    const from = q.from ?? day(Date.parse(to) - 29 * DAY_MS);
    const span = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    if (!(span >= 1 && span <= MAX_DAYS)) throw new HttpError(400, 'invalid_request', `from must be on or before to, at most ${MAX_DAYS} days apart`);
    return { from, to, span, end: day(Date.parse(to) + DAY_MS) };
  };
  const common = { tag: 'Insights', auth: 'user' as const, permission: 'audit.view' as const, query: InsightsQuery, errors: [404] };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/insights/unanswered',
    summary: 'Visitor questions Bob could not answer in the period, grouped by similar wording, most asked first',
    description:
      'Counted: Bob\'s honest "I don\'t know", the handoff after two unanswered questions in a row, and a model answer that ' +
      'could not be used. Staff trying Bob in the console are not counted. Two questions are grouped when at least half of ' +
      'the content words of the shorter one (stopwords dropped, lightly stemmed, English and Italian) are in the other and ' +
      'one shared word has 4 letters or more, or when their words are identical; a question similar to any member joins the group.',
    response: UnansweredReport,
    async handler(ctx, { query }) {
      const tenant = await tenantOf(deps.tenants, authOf(ctx), query.business_id);
      const { from, to, end } = period(query);
      const rows = await deps.insights.unanswered(tenant.id, from, end);
      return { from, to, total: rows.length, groups: groupUnanswered(rows) };
    },
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/insights/outcomes',
    summary: 'Per day: conversations answered by Bob alone, handed to a person, abandoned after a handoff request, and the share resolved without a person',
    description:
      'A conversation belongs to the UTC day it started and counts once it has a visitor message (console sessions never). ' +
      'The share resolved without a person is rounded to four decimals. ' +
      '`Accept: text/csv` answers the days as CSV (`' + CSV_COLUMNS.join(',') + '`, the share empty when there were no conversations) ' +
      'as an attachment `bob-outcomes-<from>-<to>.csv`.',
    response: OutcomesReport,
    produces: CSV,
    async handler(ctx, { query }) {
      const tenant = await tenantOf(deps.tenants, authOf(ctx), query.business_id);
      const { from, to, span, end } = period(query);
      const counted = new Map((await deps.insights.outcomes(tenant.id, from, end, deps.clock.now().toISOString())).map((d) => [d.date, d]));
      const zero = { conversations: 0, answered_by_bot: 0, handed_to_person: 0, abandoned: 0 };
      const days: OutcomeDay[] = Array.from({ length: span }, (_, i) => {
        const date = day(Date.parse(from) + i * DAY_MS);
        const { date: _d, ...c }: OutcomeCounts = counted.get(date) ?? { date, ...zero };
        return { date, ...c, resolved_without_person: share(c.answered_by_bot, c.conversations) };
      });
      const sum = { ...zero };
      for (const d of days) for (const k of Object.keys(zero) as (keyof typeof zero)[]) sum[k] += d[k];
      const totals = { ...sum, resolved_without_person: share(sum.answered_by_bot, sum.conversations) };

      ctx.vary('Accept');
      if (ctx.accepts('application/json', CSV) === CSV) {
        ctx.set('Content-Disposition', `attachment; filename="bob-outcomes-${from}-${to}.csv"`);
        ctx.type = `${CSV}; charset=utf-8`;
        const { stringify } = csvStringify();
        return stringify(
          days.map((d) => CSV_COLUMNS.map((c) => d[c] ?? '')),
          { header: true, columns: [...CSV_COLUMNS] },
        );
      }
      return { from, to, days, totals };
    },
  });
}
