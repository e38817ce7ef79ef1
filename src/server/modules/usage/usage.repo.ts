import type { ExpressionBuilder } from 'kysely';
import type { Storage } from '../../storage/sqlite';

export interface DayCounts {
  date: string;
  conversations: number;
  messages: number;
  ai_replies: number;
  model_replies: number;
  model_fallbacks: number;
  billable_replies: number;
  handoffs: number;
}

export type UsageRepo = ReturnType<typeof createUsageRepo>;

const NONE: Omit<DayCounts, 'date'> = { conversations: 0, messages: 0, ai_replies: 0, model_replies: 0, model_fallbacks: 0, billable_replies: 0, handoffs: 0 };

/** The day (YYYY-MM-DD) of a stored ISO timestamp. */
const dayOf = <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: Parameters<ExpressionBuilder<DB, TB>['ref']>[0]) =>
  eb.fn<string>('substr', [eb.ref(column), eb.lit(1), eb.lit(10)]);

/**
 * Daily activity per tenant, read from the conversations themselves (nothing extra to keep in
 * sync). Persona try-it runs (console sessions) are staff tests, not conversations: not counted.
 */
export function createUsageRepo(db: Storage) {
  const messages = (tenantId: string, from: string, to: string) =>
    db
      .selectFrom('chat_messages as m')
      .innerJoin('chat_sessions as s', 's.id', 'm.session_id')
      .where('m.tenant_id', '=', tenantId)
      .where('m.created_at', '>=', from)
      .where('m.created_at', '<', to)
      .where('s.channel', '<>', 'console');

  return {
    /** The days with any activity in [from, to), in date order. */
    async days(tenantId: string, from: string, to: string): Promise<DayCounts[]> {
      const byDay = new Map<string, DayCounts>();
      const add = (date: string, counts: Partial<DayCounts>) => byDay.set(date, { ...(byDay.get(date) ?? { date, ...NONE }), ...counts });

      const msgs = await messages(tenantId, from, to)
        .select((eb) => {
          const bot = eb('m.author', '=', 'bot');
          const count = () => eb.fn.countAll<number>();
          return [
            dayOf(eb, 'm.created_at').as('date'),
            count().filterWhere('m.author', '=', 'visitor').as('messages'),
            count().filterWhere(bot).as('ai_replies'),
            count().filterWhere(eb.and([bot, eb('m.responder', '=', 'model')])).as('model_replies'),
            count().filterWhere(eb.and([bot, eb('m.responder', '=', 'fallback')])).as('model_fallbacks'),
            count().filterWhere(eb.and([bot, eb(eb.fn.coalesce('s.key_mode', eb.val('live')), '<>', 'test')])).as('billable_replies'),
          ];
        })
        .groupBy((eb) => dayOf(eb, 'm.created_at'))
        .execute();
      for (const { date, ...counts } of msgs) add(date, counts);

      const convs = await db
        .selectFrom('chat_sessions')
        .select((eb) => [dayOf(eb, 'created_at').as('date'), eb.fn.countAll<number>().as('conversations')])
        .where('tenant_id', '=', tenantId)
        .where('created_at', '>=', from)
        .where('created_at', '<', to)
        .where('channel', '<>', 'console')
        .groupBy((eb) => dayOf(eb, 'created_at'))
        .execute();
      for (const { date, conversations } of convs) add(date, { conversations });

      const handoffs = await db
        .selectFrom('events as e')
        .leftJoin('chat_sessions as s', 's.id', 'e.session_id')
        .select((eb) => [dayOf(eb, 'e.created_at').as('date'), eb.fn.countAll<number>().as('handoffs')])
        .where('e.tenant_id', '=', tenantId)
        .where('e.type', '=', 'handoff.requested')
        .where('e.created_at', '>=', from)
        .where('e.created_at', '<', to)
        .where((eb) => eb(eb.fn.coalesce('s.channel', eb.val('')), '<>', 'console'))
        .groupBy((eb) => dayOf(eb, 'e.created_at'))
        .execute();
      for (const { date, handoffs: n } of handoffs) add(date, { handoffs: n });

      return [...byDay.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    },

    /** Per conversation started in [from, to): first visitor message → first answer of anyone else, in ms. */
    async firstResponses(tenantId: string, from: string, to: string): Promise<{ date: string; ms: number }[]> {
      const rows = await db
        .selectFrom('chat_sessions as s')
        .innerJoin('chat_messages as m', 'm.session_id', 's.id')
        .select((eb) => [
          dayOf(eb, 's.created_at').as('date'),
          eb.fn.min<string | null>(eb.case().when('m.author', '=', 'visitor').then(eb.ref('m.created_at')).end()).as('asked'),
          eb.fn.min<string | null>(eb.case().when('m.author', 'in', ['bot', 'agent', 'system']).then(eb.ref('m.created_at')).end()).as('answered'),
        ])
        .where('s.tenant_id', '=', tenantId)
        .where('s.created_at', '>=', from)
        .where('s.created_at', '<', to)
        .where('s.channel', '<>', 'console')
        .groupBy('s.id')
        .execute();
      return rows.flatMap(({ date, asked, answered }) => (asked && answered ? [{ date, ms: Date.parse(answered) - Date.parse(asked) }] : []));
    },
  };
}
