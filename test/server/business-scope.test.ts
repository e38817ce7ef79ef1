import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoped, setBusinessScope } from '../../src/renderer/src/api/scope';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  setBusinessScope({ slug: 'business-co', name: 'Business Co' });
});
afterAll(async () => {
  setBusinessScope(null);
  await server.close();
});

type Param = { name: string; in: string; required?: boolean };

describe('Mission Control\'s business scope', () => {
  it('adds business_id to exactly the routes whose query takes an optional one (the rest refuse unknown parameters)', async () => {
    const spec = (await (await server.fetch('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: Param[] }>> };
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(spec.paths)) {
      const sample = path.replace(/\{[^}]+\}/g, 'x1');
      for (const [method, op] of Object.entries(ops)) {
        const param = op.parameters?.find((p) => p.in === 'query' && p.name === 'business_id');
        if (param?.required) continue; // public routes name their business themselves
        const added = scoped(sample).includes('business_id=business-co');
        if (added !== !!param) wrong.push(`${method.toUpperCase()} ${path}: ${added ? 'added' : 'missing'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(scoped('/api/audit?action=tenant.&limit=50')).toBe('/api/audit?action=tenant.&limit=50&business_id=business-co');
  });
});
