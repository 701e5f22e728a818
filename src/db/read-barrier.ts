// A Kysely dialect that waits for a barrier before it hands out a connection: with the ingest
// journal (alerts/ingest-journal.ts), every query waits until the alerts acknowledged before it
// are in the tables, so readers never miss one.
import type {
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  TransactionSettings,
} from 'kysely';

/** What queries wait for; null: nothing. */
export type ReadBarrier = () => Promise<void>;

export class BarrierDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly barrier: () => ReadBarrier | null,
    /** Starts a transaction instead of the inner driver (SQLite: without blocking, sqlite-begin.ts). */
    private readonly begin?: () => Promise<void>,
  ) {}

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }

  createDriver(): Driver {
    const d = this.inner.createDriver();
    const barrier = this.barrier;
    const begin = this.begin;
    return {
      init: () => d.init(),
      acquireConnection: async (): Promise<DatabaseConnection> => {
        const wait = barrier();
        if (wait) await wait();
        return d.acquireConnection();
      },
      beginTransaction: (c: DatabaseConnection, s: TransactionSettings) =>
        begin ? begin() : d.beginTransaction(c, s),
      commitTransaction: (c: DatabaseConnection) => d.commitTransaction(c),
      rollbackTransaction: (c: DatabaseConnection) => d.rollbackTransaction(c),
      releaseConnection: (c: DatabaseConnection) => d.releaseConnection(c),
      destroy: () => d.destroy(),
      ...(d.savepoint ? { savepoint: d.savepoint.bind(d) } : {}),
      ...(d.rollbackToSavepoint ? { rollbackToSavepoint: d.rollbackToSavepoint.bind(d) } : {}),
      ...(d.releaseSavepoint ? { releaseSavepoint: d.releaseSavepoint.bind(d) } : {}),
    };
  }
}
