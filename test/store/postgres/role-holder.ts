/**
 * A child process for cluster.test.ts: opens the store at NEWSBOT_TEST_DATABASE_URL, takes the role
 * named by NEWSBOT_TEST_ROLE, prints "held <instance>" and waits to be killed.
 */
import { PostgresStore } from '../../../src/store/postgres/store.js';

const store = await PostgresStore.open({ url: process.env.NEWSBOT_TEST_DATABASE_URL as string, poolSize: 1 });
const role = process.env.NEWSBOT_TEST_ROLE as string;
if (!(await store.cluster.tryLead(role))) throw new Error(`role ${role} is taken`);
process.stdout.write(`held ${store.cluster.instance}\n`);
setInterval(() => undefined, 60_000);
