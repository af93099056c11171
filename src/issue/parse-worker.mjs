// Entry of a parse worker thread. Workers start as plain Node, without the TypeScript loader
// that `npm start` (tsx) or vitest give the main thread, so the TypeScript worker is imported
// through tsx's API; under a tsx-started process this is a cheap second registration.
import { tsImport } from 'tsx/esm/api';

await tsImport('./parse-worker.ts', import.meta.url);
