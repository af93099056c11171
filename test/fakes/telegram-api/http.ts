/**
 * Request decoding and the Bot API's answer shape for the fake Telegram server.
 * telegraf sends JSON for almost everything, and multipart when a payload includes media;
 * the Bot API also takes url-encoded forms and query strings, so the fake reads all four.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Parameters that travel as JSON text inside form fields (telegraf's FORM_DATA_JSON_FIELDS and kin). */
const JSON_FIELDS = new Set([
  'reply_markup', 'results', 'link_preview_options', 'entities', 'commands', 'scope',
  'allowed_updates', 'reply_parameters', 'mask_position', 'shipping_options', 'errors', 'media',
]);

/** A Bot API failure the fake answers with: `{ ok: false, error_code, description, parameters? }`. */
export class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(`${code}: ${description}`);
  }

  get body(): Record<string, unknown> {
    return { ok: false, error_code: this.code, description: this.description, ...(this.parameters ? { parameters: this.parameters } : {}) };
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decodeFormValue(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** Reads the request's parameters from its query string and body, whatever the encoding. */
export async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) params[key] = decodeFormValue(key, value);
  const body = await readBody(req);
  if (body.length === 0) return params;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ApiFailure(400, 'Bad Request: parameters must be a JSON object');
    return { ...params, ...(parsed as Record<string, unknown>) };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = decodeFormValue(key, value);
    return params;
  }
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(body, { headers: { 'content-type': type } }).formData();
    for (const [key, value] of form) {
      params[key] = typeof value === 'string' ? decodeFormValue(key, value) : { file: value.name, size: value.size };
    }
    return params;
  }
  throw new ApiFailure(400, `Bad Request: unsupported content-type "${type}"`);
}

/** Writes one JSON answer the way the Bot API does (content-type application/json). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
