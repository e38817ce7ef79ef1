import { compiledQuery } from './compiled';
import type { SqlDialect } from './dialect';
import type { Storage } from './sqlite';

/**
 * A stamp of one tenant's rows in a table with `tenant_id` and `updated_at` that changes whenever
 * a row is added, edited or removed (count, newest update, the dialect's row stamp): the
 * responder's FAQ and document indexes are cached under it. Asked on every visitor message, so
 * each table's query is compiled once.
 */
export function tenantRowsVersion(table: 'faq_entries' | 'knowledge_documents') {
  const query = compiledQuery((db, a: { tenantId: string }, dialect: SqlDialect) =>
    db
      .selectFrom(table)
      .where('tenant_id', '=', a.tenantId)
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest'), dialect.rowsStamp().as('rows')]),
  );
  return async (db: Storage, dialect: SqlDialect, tenantId: string): Promise<string> => {
    const v = (await query.first(db, { tenantId }, dialect))!;
    return `${v.n}:${v.latest ?? ''}:${v.rows ?? 0}`;
  };
}
