/**
 * Run as its own process by adapter.test.ts: the app with the Discord adapter answers /latest and
 * a page button against the fake, stops, closes the fake, and must then exit by itself. Anything
 * left alive (a socket, a timer, a heartbeat) keeps the process running and the test sees it.
 */
import { startHarness } from './bot-support.js';

const h = await startHarness({ fake: { heartbeatIntervalMs: 200 } });
const latest = await h.interact(h.fake.chatInput('latest'));
const search = await h.interact(h.fake.chatInput('search', { query: 'nerf' }));
await h.fake.gateway.waitFor(1); // a heartbeat went out, so its timer is running
await h.close();
console.log(`probe: answered ${latest.messages.length + search.messages.length} messages`);
console.log(`probe: client ${h.adapter.client === null ? 'released' : 'still held'}`);
console.log('probe: closed');
setTimeout(() => console.error('probe: still alive:', process.getActiveResourcesInfo().join(', ')), 5000).unref();
