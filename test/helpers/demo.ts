import type { Session, TestServer } from './server';

/**
 * Deletes Business Co's demo knowledge document and answer tests through the API, as an owner
 * starting from scratch would, for tests that count documents or tests from zero.
 */
export async function withoutDemoKnowledge(server: TestServer, owner: Session): Promise<void> {
  for (const path of ['/api/knowledge', '/api/answer-tests']) {
    const { data } = (await (await server.fetch(path, { headers: owner.bearer })).json()) as { data: { id: string }[] };
    for (const { id } of data) {
      const res = await server.fetch(`${path}/${id}`, { method: 'DELETE', headers: owner.bearer });
      if (res.status !== 204) throw new Error(`DELETE ${path}/${id}: ${res.status}`);
    }
  }
}
