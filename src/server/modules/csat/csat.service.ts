import { conflict, notFound } from '../../errors';
import type { Clock } from '../../clock';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { ChatRepo } from '../chat/chat.repo';
import type { Rating } from '../../../shared/schemas/csat';
import type { CsatRepo, RatingRow } from './csat.repo';

export type CsatService = ReturnType<typeof createCsatService>;

const toRating = (r: RatingRow): Rating => ({ score: r.score, comment: r.comment, agent_id: r.agent_id, created_at: r.created_at });

/**
 * The visitor's rating of a closed conversation (issue #23): one per conversation, stored with the
 * last person who replied (null: Bob alone), announced as `csat.submitted`.
 */
export function createCsatService(deps: { repo: CsatRepo; uow: UnitOfWork<{ chat: ChatRepo; csat: CsatRepo }>; clock: Clock }) {
  return {
    /** 404: no such conversation of this business; 409 `conversation_open` / `already_rated`. */
    submit(tenantId: string, externalId: string, score: number, comment?: string): Promise<Rating> {
      return deps.uow.run(async (tx) => {
        const s = await tx.chat.byExternalId(tenantId, externalId);
        if (!s || s.channel === 'console') throw notFound('Conversation');
        if (s.status !== 'closed') throw conflict('conversation_open', 'Only a closed conversation can be rated');
        const row = {
          tenant_id: tenantId,
          session_id: s.id,
          score,
          comment: comment || null,
          agent_id: await tx.csat.lastAgent(s.id),
          created_at: deps.clock.now().toISOString(),
        };
        if ((await tx.csat.bySession(tenantId, s.id)) || !(await tx.csat.insert(row))) throw conflict('already_rated', 'This conversation was already rated');
        tx.emit(tenantId, 'csat.submitted', { session_id: s.external_id, score, comment: row.comment, agent_id: row.agent_id }, s.id);
        return toRating({ id: 0, ...row });
      });
    },
    /** A conversation's rating (internal id), or null. */
    async of(tenantId: string, sessionId: string): Promise<Rating | null> {
      const r = await deps.repo.bySession(tenantId, sessionId);
      return r ? toRating(r) : null;
    },
  };
}
