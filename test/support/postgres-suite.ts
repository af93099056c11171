/**
 * `describePostgres(name, body)`: a describe block with one throwaway PostgreSQL server for the test
 * file (started in beforeAll, destroyed in afterAll). Without PostgreSQL it is skipped, visibly, with
 * the reason in its name; under CI (`CI` set, as `.ci/run` does) it fails instead, since CI must run it.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { postgresMissing, startPostgres, type PgServer } from './postgres.js';

export function describePostgres(name: string, body: (server: () => PgServer) => void): void {
  const missing = postgresMissing();
  if (missing && process.env.CI) {
    describe(name, () => {
      it(`needs PostgreSQL under CI: ${missing}`, () => {
        throw new Error(missing);
      });
    });
    return;
  }
  if (missing) {
    console.warn(`${name}: skipped (${missing})`);
    describe.skip(`${name} (skipped: ${missing})`, () => body(() => undefined as unknown as PgServer));
    return;
  }
  describe(name, () => {
    let server: PgServer | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    }, 60_000);
    afterAll(async () => {
      await server?.destroy();
    });
    body(() => {
      if (!server) throw new Error('PostgreSQL server not started');
      return server;
    });
  });
}
