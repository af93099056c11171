/**
 * Turns an interaction's first callback into the answer of the HTTP request it arrived on.
 *
 * Over the gateway, discord.js answers an interaction with `POST /interactions/{id}/{token}/callback`.
 * An interaction that came to the HTTP interactions endpoint must be answered in that request's
 * response instead. The same discord.js code answers both: its REST client gets a `makeRequest`
 * (a documented @discordjs/rest option) that hands the callback of an interaction the endpoint is
 * waiting on to that request, and sends everything else (edits, follow-ups, channel posts, a
 * callback nobody waits for) over the network as usual.
 */
import type { RESTOptions, ResponseLike } from 'discord.js';

type MakeRequest = RESTOptions['makeRequest'];

/** Writes the callback body as the HTTP response; resolves once it has been handed to the socket. */
export type CallbackResponder = (body: string) => Promise<void>;

const CALLBACK_PATH = /\/interactions\/(\d+)\/[^/?]+\/callback(?:\?|$)/;

/** What the interaction endpoint answered on Discord's behalf: 204 No Content, as Discord does. */
function noContent(): ResponseLike {
  return {
    body: null,
    bodyUsed: false,
    ok: true,
    status: 204,
    statusText: 'No Content',
    headers: new Headers(),
    arrayBuffer: async () => new ArrayBuffer(0),
    json: async () => null,
    text: async () => '',
  } as ResponseLike;
}

export class CallbackRelay {
  readonly #waiting = new Map<string, CallbackResponder>();

  /**
   * The next callback of interaction `id` goes to `respond` instead of the network (once).
   * Returns the cancel: after it (the request was answered otherwise), callbacks go to the network.
   */
  expect(id: string, respond: CallbackResponder): () => void {
    this.#waiting.set(id, respond);
    return () => {
      if (this.#waiting.get(id) === respond) this.#waiting.delete(id);
    };
  }

  /** A `makeRequest` for the REST client: the relay in front of `network` (the library's default). */
  makeRequest(network: MakeRequest): MakeRequest {
    return async (url, init) => {
      const id = init.method === 'POST' ? CALLBACK_PATH.exec(url)?.[1] : undefined;
      const respond = id !== undefined ? this.#waiting.get(id) : undefined;
      // A body with files is multipart; our answers never carry files, so such a callback goes out as usual.
      if (id === undefined || respond === undefined || typeof init.body !== 'string') return network(url, init);
      this.#waiting.delete(id);
      await respond(init.body);
      return noContent();
    };
  }
}
