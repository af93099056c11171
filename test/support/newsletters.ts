/**
 * Locates the three public newsletters of `../shared/newsletters` (or `NEWSBOT_NEWSLETTERS`).
 * Tests over them use `describeNewsletters`, which skips with a visible message when the folder is absent.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

/** Absolute path of the newsletters folder, or null when it is not there. */
export const newslettersDir: string | null = (() => {
  const dir = process.env.NEWSBOT_NEWSLETTERS ? resolve(process.env.NEWSBOT_NEWSLETTERS) : resolve(repoRoot, '../shared/newsletters');
  return existsSync(dir) && statSync(dir).isDirectory() ? dir : null;
})();

/** `describe` over the newsletters, or a visibly skipped block naming why. */
export function describeNewsletters(name: string, body: (dir: string) => void): void {
  if (newslettersDir) {
    const dir = newslettersDir;
    describe(name, () => body(dir));
  } else {
    console.warn(`[newsletters] skipping "${name}": no ../shared/newsletters (set NEWSBOT_NEWSLETTERS to its folder)`);
    describe.skip(`${name} (skipped: newsletters not found; set NEWSBOT_NEWSLETTERS)`, () => body(''));
  }
}
