/**
 * One loaded fixture archive for a whole test file that runs several bot instances: each instance
 * is the same core (library, search, router) with its own settings and logger, since loading the
 * fixtures once per instance is slow on a busy machine. Registers its own beforeAll/afterAll.
 */
import { afterAll, beforeAll } from 'vitest';
import { loadPlatformConfig } from '../../adapters/platforms.js';
import { createCore, type Core } from '../../src/app.js';
import { FIXTURE_ISSUES, recordingLogger } from '../commands/support.js';

/** The file's shared core; call it inside tests (it is loaded in beforeAll). */
export function sharedArchive(): () => Core {
  let shared: Core | undefined;
  beforeAll(async () => {
    const config = loadPlatformConfig({ ISSUES_DIR: FIXTURE_ISSUES, ISSUE_CACHE_PATH: 'off' });
    shared = await createCore(config, recordingLogger().logger, { watch: false });
  });
  afterAll(async () => {
    await shared?.close();
  });
  return () => {
    if (!shared) throw new Error('the archive is loaded in beforeAll');
    return shared;
  };
}
