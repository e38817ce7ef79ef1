import type { Expression, SqlBool } from 'kysely';
import type { SqlDialect } from '../../storage/dialect';
import type { Storage } from '../../storage/sqlite';

export interface UnansweredRow {
  question: string;
  reason: 'unknown' | 'handoff' | 'fallback';
  created_at: string;
  conversation_id: string;
  session_id: string;
}

export interface OutcomeCounts {
  date: string;
  conversations: number;
  answered_by_bot: number;
  handed_to_person: number;
  abandoned: number;
}

export type InsightsRepo = ReturnType<typeof createInsightsRepo>;

/** How long a handoff request may wait for a person before the conversation counts as abandoned. */
export const HANDOFF_PATIENCE_MINUTES = 10;

/**
 * Insights read straight from the conversations: the questions Bob could not answer, and how each
 * conversation ended. Console sessions (staff trying a persona) are never counted.
 */
export function createInsightsRepo(db: Storage, dialect: SqlDialect) {
  return {
    /** The period's unanswered questions, oldest first; `to` is exclusive. */
    unanswered: (tenantId: string, from: string, to: string): Promise<UnansweredRow[]> =>
      db
        .selectFrom('unanswered_questions as u')
        .innerJoin('chat_sessions as s', 's.id', 'u.session_id')
        .select(['u.question', 'u.reason', 'u.created_at', 's.id as conversation_id', 's.external_id as session_id'])
        .where('u.tenant_id', '=', tenantId)
        .where('u.created_at', '>=', from)
        .where('u.created_at', '<', to)
        .where('s.channel', '<>', 'console')
        .orderBy('u.created_at')
        .orderBy('u.id')
        .execute(),

    /**
     * Per day, conversations started in [from, to) and how they ended as of `now`: one row per UTC
     * day on which conversations started. Timestamps are ISO strings (toISOString), so the
     * handoff's deadline is written the same way and compared as text.
     */
    outcomes: (tenantId: string, from: string, to: string, now: string): Promise<OutcomeCounts[]> =>
      db
        .with('s', (q) =>
          q
            .selectFrom('chat_sessions as c')
            .select((eb) => [
              eb.fn<string>('substr', ['c.created_at', eb.lit(1), eb.lit(10)]).as('date'),
              'c.handoff_at',
              'c.agent_replied_at',
              dialect.addMinutes(eb.ref('c.handoff_at'), HANDOFF_PATIENCE_MINUTES).as('deadline'),
            ])
            .where('c.tenant_id', '=', tenantId)
            .where('c.created_at', '>=', from)
            .where('c.created_at', '<', to)
            .where('c.channel', '<>', 'console')
            .where((eb) => eb.exists(eb.selectFrom('chat_messages as m').select(eb.lit(1).as('one')).whereRef('m.session_id', '=', 'c.id').where('m.author', '=', 'visitor'))),
        )
        .selectFrom('s')
        .select((eb) => {
          const count = (cond: Expression<SqlBool>) =>
            eb.fn.coalesce(eb.fn.sum<number>(eb.case().when(cond).then(1).else(0).end()), eb.lit(0));
          return [
            's.date',
            eb.fn.countAll<number>().as('conversations'),
            count(eb.and([eb('s.handoff_at', 'is', null), eb('s.agent_replied_at', 'is', null)])).as('answered_by_bot'),
            count(eb.and([eb('s.agent_replied_at', 'is not', null), eb.or([eb('s.handoff_at', 'is', null), eb('s.agent_replied_at', '<=', eb.ref('s.deadline'))])])).as('handed_to_person'),
            count(
              eb.and([
                eb('s.handoff_at', 'is not', null),
                eb.or([eb('s.agent_replied_at', 'is', null), eb('s.agent_replied_at', '>', eb.ref('s.deadline'))]),
                eb('s.deadline', '<=', now),
              ]),
            ).as('abandoned'),
          ];
        })
        .groupBy('s.date')
        .orderBy('s.date')
        .execute(),
  };
}
