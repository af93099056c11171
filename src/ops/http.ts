/**
 * The one HTTP server's route table as the rest of newsbot sees it (the server itself is
 * adapters/http/server.ts): a platform that takes HTTP requests (the Telegram webhook) mounts its
 * path here instead of opening a server of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers one request; a rejection becomes a 500 (and is logged once by the server). */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpRoutes {
  /** Serves every request to `path` (any method, any query) with `handler`; returns the unmount. Throws when the path is taken. */
  mount(path: string, handler: HttpHandler): () => void;
  /** Where the server listens (the real port when PORT=0). */
  readonly port: number;
}
