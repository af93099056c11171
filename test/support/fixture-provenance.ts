/**
 * Where each data file under test/ comes from (issue 17). A fixture is one of three kinds:
 *  - a real copy: byte-identical to a file of the real archive (`../shared/corpus`, whose
 *    2021/AI简报20210814.md is the seed); listed in REAL_COPIES with its SHA-256, so the check
 *    still holds where the corpus is absent. Real copies keep their real URLs.
 *  - a render of the seed: a snapshot of what a renderer makes of the seed; listed in
 *    SEED_RENDERS; its URLs are the seed's own, plus reserved example ones the tests add.
 *  - invented: everything else. It says `invented for tests` in its own text and links only to
 *    reserved example domains, so no rendering of it can pass for real news.
 * test/fixture-provenance.test.ts checks every file under test/ (all but the .ts sources) against this.
 */

/** The marker every invented fixture carries in its own text. */
export const INVENTED_MARKER = 'invented for tests';

/** Real copies: path under test/ → [path under the corpus, SHA-256 of the bytes]. */
export const REAL_COPIES: ReadonlyArray<readonly [fixture: string, corpus: string, sha256: string]> = [
  ['fixtures/issues/sample/AI简报20210814.md', '2021/AI简报20210814.md', 'bf8666f10b914009440a92912f111cbb112afab5ec7ce19cf9d2a159ad8a75ef'],
  ['commands/fixtures/issues/AI 简报20201030.md', '2020/AI 简报20201030.md', '3a42981dcd762e074fc5ef4ad432cd9e746447bbd9e02be8ac78f9f0d3f201e7'],
  ['commands/fixtures/issues/AI简报20210808.md', '2021/AI简报20210808.md', 'cd6054fe4526149ea7d1f56a07b7f6c2d6f6cd5d74a295785af1a664ccf68384'],
  ['commands/fixtures/issues/AI简报20210814.md', '2021/AI简报20210814.md', 'bf8666f10b914009440a92912f111cbb112afab5ec7ce19cf9d2a159ad8a75ef'],
  ['commands/fixtures/issues/AI简报20210820.md', '2021/AI简报20210820.md', 'a552ff10b3ceb6a0509ad17d5ea9bcfc745c500d926b6097956369ce02e5543b'],
  ['commands/fixtures/issues/AI简报20260801.md', '2026/AI简报20260801.md', 'f55ead882d00b3320145e108c14ce2de570794d084e0af831a5c0848f3ef98f6'],
  ['commands/fixtures/issues/AI简报20260802.md', '2026/AI简报20260802.md', 'a8d139811d80ac0491e3d8688b1a564f7f530091feed151f7c317193a9a0baf1'],
  ['commands/fixtures/issues/AI简报20260803.md', '2026/AI简报20260803.md', '9132dad4a3fea4f922d7fe7783b7a2d39ba6912a0d6e4ad2ff8a44a1a8aa5564'],
  ['commands/fixtures/issues/AI简报20260804.md', '2026/AI简报20260804.md', '5a6fcc95db31f027bc5c984a59d73edcb26552b2dfd68f94cdb992dbf7ec3761'],
  ['commands/fixtures/issues/AI简报20260805.md', '2026/AI简报20260805.md', '90feffb475f9cb5bbbcd78a5ae5f0b9cef8bc4cd30de614712b728b600d04f55'],
  ['commands/fixtures/issues/AI简报20260814.md', '2026/AI简报20260814.md', '5c601c731377d3a2fce3d13c1b21fb544e22f1bc8c7e07f2f66449b898b9e18c'],
  ['commands/fixtures/issues/AI简报20260815.md', '2026/AI简报20260815.md', '9b70287f97d2f36a3d2fe81a65562595f0a8f438f2f86a643f47276d1e540585'],
  ['commands/fixtures/issues/AI简报20260818.md', '2026/AI简报20260818.md', 'd03854f480a2f02f329b1c65f35bb968afc7230f5bfdbda29cdb79c86a1058b1'],
];

/** Renderer snapshots of the seed issue, paths under test/. */
export const SEED_RENDERS: readonly string[] = [
  'adapters/discord/snapshots/seed-issue.json',
  'adapters/shell/snapshots/seed-issue.txt',
  'adapters/telegram/snapshots/seed-issue.html',
];

/** Every http(s) URL written in `text`: link targets, images, HTML attributes and bare URLs. */
export function urlsIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/[^\s)<>"'\]]+/g)].map((m) => m[0]);
}

/** RFC 2606 / 6761 names that can never be a real site: example.com/.org/.net and the .example, .test and .invalid TLDs. */
export function isReservedHost(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return /(^|\.)example\.(com|org|net)$/.test(host) || /\.(example|test|invalid)$/.test(host);
}

/**
 * Test sources that may name real hosts in invented snippets, because the host is what they test
 * (or they assert the real archive). Any other test source links only to reserved example
 * domains, local addresses, dotless placeholders, or URLs of a real copy.
 */
export const REAL_HOST_SOURCES: ReadonlyArray<readonly [file: string, why: string]> = [
  ['issue/summary.test.ts', 'link labels by host: github.com → GitHub, arxiv.org → 论文'],
  ['issue/styles.test.ts', 'a paper table whose "Github" column is labelled GitHub on github.com only'],
  ['issue/corpus-hand-check.test.ts', 'asserts what the real archive (../shared/corpus) holds'],
  ['digest/digest.test.ts', 'link kinds and labels by host: github.com repositories, arxiv.org papers'],
  ['search/tokenize.test.ts', 'search terms taken from a URL host (github, arxiv)'],
  ['search/index.test.ts', 'items of the real archive, found by their host terms'],
  ['search/properties.test.ts', 'items of the real archive'],
  ['adapters/discord/errors.test.ts', 'the Discord API endpoints named in error messages'],
  ['fixture-provenance.test.ts', 'real-looking URLs the reserved-domain check must refuse'],
  ['issue/newsletters.test.ts', 'asserts what the real newsletters (../shared/newsletters) hold'],
];

/** The URLs written in a TypeScript source, cut where a string escape or template part starts. */
export function urlsInSource(source: string): string[] {
  return urlsIn(source).map((url) => url.split(/\\|`|\$\{|…/)[0] ?? url);
}
