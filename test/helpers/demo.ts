import { login, type Session, type TestServer } from './server';

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

/**
 * A second business, "Pasticceria Rossi" (slug `rossi` unless given), created by the platform
 * admin, and its owner Anna signed in: the other tenant of the isolation tests.
 */
export async function secondBusiness(server: TestServer, admin: Session, slug = 'rossi'): Promise<Session> {
  const created = await server.send('POST', '/api/tenants', { name: 'Pasticceria Rossi', slug, plan_id: 'base', owner_email: `anna@${slug}.it`, owner_password: 'anna-password-1' }, admin.bearer);
  if (created.status !== 201) throw new Error(`POST /api/tenants: ${created.status} ${await created.text()}`);
  return login(server, { email: `anna@${slug}.it`, password: 'anna-password-1' });
}
