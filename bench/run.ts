/**
 * `npm run bench -- <name>...`: runs benchmarks, each printing one JSON line on stdout.
 * With no name, runs them all in turn. Each benchmark measures its own baseline in the same run
 * and reports ratios, because absolute times on a shared machine mean little.
 */
const BENCHES: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  parse: () => import('./parse.js'),
  search: () => import('./search.js'),
  broadcast: () => import('./broadcast.js'),
  burst: () => import('./burst.js'),
  messages: () => import('./messages.js'),
  alerts: () => import('./alerts.js'),
  'shared-rate': () => import('./shared-rate.js'),
  failover: () => import('./failover.js'),
};

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = names.length > 0 ? names : Object.keys(BENCHES);
for (const name of selected) {
  const load = BENCHES[name];
  if (!load) {
    console.error(`bench: unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ') || '(none yet)'}`);
    process.exitCode = 1;
    continue;
  }
  const bench = await load();
  await bench.run();
}
