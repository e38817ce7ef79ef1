import type { Selectable } from 'kysely';
import type { Storage } from '../../storage/sqlite';
import type { CsatRatingsTable } from '../../storage/schema';

export type RatingRow = Selectable<CsatRatingsTable>;
export type CsatRepo = ReturnType<typeof createCsatRepo>;

const avg = (sum: number, count: number) => (count ? Math.round((sum / count) * 100) / 100 : null);

/** Ratings of closed conversations (issue #23); they go with their conversation (FK cascade). */
export function createCsatRepo(db: Storage) {
  return {
    /** The rating of a conversation (internal id), if any. */
    bySession: (tenantId: string, sessionId: string) =>
      db.selectFrom('csat_ratings').selectAll().where('tenant_id', '=', tenantId).where('session_id', '=', sessionId).executeTakeFirst(),
    /** Stores a rating; false when the conversation already had one (the unique session_id). */
    async insert(r: Omit<RatingRow, 'id'>): Promise<boolean> {
      const res = await db.insertInto('csat_ratings').values(r).onConflict((oc) => oc.column('session_id').doNothing()).executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    /** The last person who replied in a conversation, or null when no person did. */
    async lastAgent(sessionId: string): Promise<string | null> {
      const m = await db
        .selectFrom('chat_messages')
        .select('author_id')
        .where('session_id', '=', sessionId)
        .where('author', '=', 'agent')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return m?.author_id ?? null;
    },
    /** Ratings given in [from, to) (ISO days), in all, for Bob alone and per agent. */
    async summary(tenantId: string, from: string, to: string) {
      const rows = await db
        .selectFrom('csat_ratings as r')
        .leftJoin('users as u', 'u.id', 'r.agent_id')
        .select((eb) => ['r.agent_id', 'u.name', eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string>('r.score').as('total')])
        .where('r.tenant_id', '=', tenantId)
        .where('r.created_at', '>=', from)
        .where('r.created_at', '<', to)
        .groupBy(['r.agent_id', 'u.name'])
        .execute();
      let count = 0;
      let sum = 0;
      const bob = { count: 0, average: null as number | null };
      const agents: { agent_id: string; name: string | null; count: number; average: number | null }[] = [];
      for (const r of rows) {
        const n = Number(r.n);
        const total = Number(r.total);
        count += n;
        sum += total;
        if (r.agent_id === null) Object.assign(bob, { count: n, average: avg(total, n) });
        else agents.push({ agent_id: r.agent_id, name: r.name, count: n, average: avg(total, n) });
      }
      agents.sort((a, b) => b.count - a.count || a.agent_id.localeCompare(b.agent_id));
      return { count, average: avg(sum, count), bob, agents };
    },
  };
}
