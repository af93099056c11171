/**
 * Every data file under test/ is either a real copy (byte-identical to the real archive), a
 * renderer snapshot of the seed, or an invented fixture that says so and links only to reserved
 * example domains (issue 17; the kinds are listed in test/support/fixture-provenance.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, describeCorpus, seedIssuePath } from './support/corpus.js';
import { INVENTED_MARKER, isReservedHost, REAL_COPIES, REAL_HOST_SOURCES, SEED_RENDERS, urlsIn, urlsInSource } from './support/fixture-provenance.js';

const testDir = resolve(import.meta.dirname);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every file under test/, as paths relative to test/ with "/". */
function allFiles(dir = testDir): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? allFiles(path) : [relative(testDir, path).split(sep).join('/')];
    });
}

/** True for an address no test could reach by accident: reserved, local, or a dotless placeholder ("http://h/"); false for a real-looking host. */
function isHarmless(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return true; // not an address at all ("https://…")
  }
  return isReservedHost(url) || host === '127.0.0.1' || host === 'localhost' || !host.includes('.');
}

const everything = allFiles();
const files = everything.filter((file) => !file.endsWith('.ts'));
const sources = everything.filter((file) => file.endsWith('.ts'));
const realCopies = new Map(REAL_COPIES.map(([fixture, corpus, hash]) => [fixture, { corpus, hash }]));
const invented = files.filter((file) => !realCopies.has(file) && !SEED_RENDERS.includes(file));

describe('the provenance of every data file under test/', () => {
  it('GIVEN the lists of real copies and seed renders THEN every listed file exists (the lists do not go stale)', () => {
    expect(files.length).toBeGreaterThan(20);
    expect([...realCopies.keys(), ...SEED_RENDERS].filter((file) => !files.includes(file))).toEqual([]);
  });

  it.each(REAL_COPIES.map(([fixture]) => fixture))('GIVEN the real copy %s THEN its bytes are the recorded ones', (fixture) => {
    expect(sha256(readFileSync(join(testDir, fixture)))).toBe(realCopies.get(fixture)?.hash);
  });

  it.each(invented)('GIVEN %s, neither a real copy nor a seed render THEN it says it is invented and every URL in it is on a reserved example domain', (file) => {
    const text = readFileSync(join(testDir, file)).toString('utf8');
    expect(text, `${file} must say "${INVENTED_MARKER}" (or, if it is a copy of a real issue, be listed in REAL_COPIES)`).toContain(INVENTED_MARKER);
    expect(urlsIn(text).filter((url) => !isReservedHost(url)), file).toEqual([]);
  });

  it.each(SEED_RENDERS)('GIVEN the seed render %s THEN each of its URLs is the seed’s own or on a reserved example domain', (file) => {
    const seedUrls = new Set(urlsIn(readFileSync(seedIssuePath, 'utf8')));
    const urls = urlsIn(readFileSync(join(testDir, file), 'utf8'));
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((url) => !seedUrls.has(url) && !isReservedHost(url)), file).toEqual([]);
  });

  it('GIVEN a real-looking URL in an invented text THEN the check refuses it, and accepts reserved names', () => {
    expect(['https://github.com/a/b', 'https://mp.weixin.qq.com/s/x', 'https://example.com.evil.io/', 'https://notexample.com/'].filter(isReservedHost)).toEqual([]);
    expect(['https://example.com/a', 'https://arxiv.example.org/abs/1', 'https://a.example/7', 'https://x.test/', 'https://y.invalid/'].every(isReservedHost)).toBe(true);
  });
});

describe('URLs written in the test sources', () => {
  const realUrls = new Set(REAL_COPIES.flatMap(([fixture]) => urlsIn(readFileSync(join(testDir, fixture), 'utf8'))));
  const allowed = new Map(REAL_HOST_SOURCES);

  it('GIVEN the list of sources allowed real hosts THEN each exists and says why', () => {
    for (const [file, why] of REAL_HOST_SOURCES) expect([file, sources.includes(file), why.length > 10]).toEqual([file, true, true]);
  });

  it.each(sources.filter((file) => !allowed.has(file)))('GIVEN %s THEN its invented URLs are on reserved example domains (real ones come from a real copy)', (file) => {
    const foreign = urlsInSource(readFileSync(join(testDir, file), 'utf8')).filter((url) => !isHarmless(url) && !realUrls.has(url));
    expect(foreign, `${file}: use a reserved example domain, or list the file in REAL_HOST_SOURCES with the reason the host matters`).toEqual([]);
  });
});

describeCorpus('the real copies against the archive itself', (dir) => {
  it.each(REAL_COPIES.map(([fixture, corpus]) => [fixture, corpus]))('GIVEN the real copy %s THEN it is byte-identical to corpus %s', (fixture, corpus) => {
    expect(corpusDir).not.toBeNull();
    expect(readFileSync(join(testDir, fixture)).equals(readFileSync(join(dir, corpus)))).toBe(true);
  });
});
