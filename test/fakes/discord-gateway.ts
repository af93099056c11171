/**
 * The gateway half of the fake Discord: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeat ACKs,
 * RESUME → RESUMED (or INVALID_SESSION), and dispatches pushed by tests. Uses the `ws` package on
 * the fake's HTTP server (path /gw). No compression: discord.js only asks for it with zlib-sync.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { guildCreateObject, type FakeGuildSpec, type Json } from './discord-world.js';

/** A payload the client sent (IDENTIFY and RESUME tokens removed). */
export interface GatewayRecord {
  op: number;
  d: unknown;
  at: number;
}

interface Session {
  id: string;
  seq: number;
  socket: WebSocket | null;
}

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  applicationId: string;
  bot: Json;
  botRoleId: string;
  guilds: FakeGuildSpec[];
  /** ws://127.0.0.1:PORT/gw, also sent as resume_gateway_url. */
  url: () => string;
  /** Answer IDENTIFY by closing with this code (e.g. 4014 disallowed intents); null: accept it. */
  identifyCloseCode?: number | null;
}

const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;

export class FakeGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  readonly received: GatewayRecord[] = [];
  private readonly listeners = new Set<(record: GatewayRecord) => void>();
  /** Close code every IDENTIFY gets from now on (e.g. 4014 disallowed intents); null accepts them. */
  identifyCloseCode: number | null;

  constructor(private readonly options: GatewayOptions) {
    this.identifyCloseCode = options.identifyCloseCode ?? null;
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  /** Called from the HTTP server's `upgrade` event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/gw' && path !== '/gw/') {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    socket.on('message', (raw) => this.onMessage(socket, raw.toString()));
    this.send(socket, { op: Op.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null });
  }

  private onMessage(socket: WebSocket, raw: string): void {
    let payload: { op: number; d: unknown };
    try {
      payload = JSON.parse(raw);
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const d = payload.d as Json | null;
    const safe = d && typeof d === 'object' && 'token' in d ? { ...d, token: '[redacted]' } : payload.d;
    const record = { op: payload.op, d: safe, at: Date.now() };
    this.received.push(record);
    for (const listener of this.listeners) listener(record);

    switch (payload.op) {
      case Op.Heartbeat:
        this.send(socket, { op: Op.HeartbeatAck, d: null, s: null, t: null });
        break;
      case Op.Identify:
        if (d?.token !== this.options.token) socket.close(4004, 'Authentication failed.');
        else if (this.identifyCloseCode !== null) socket.close(this.identifyCloseCode, 'fake: identify refused');
        else this.identify(socket);
        break;
      case Op.Resume:
        this.resume(socket, d ?? {});
        break;
      default:
        break; // presence updates, member requests: accepted and ignored
    }
  }

  private identify(socket: WebSocket): void {
    const session: Session = { id: randomUUID().replaceAll('-', ''), seq: 0, socket };
    this.sessions.set(session.id, session);
    const { applicationId, bot, guilds } = this.options;
    this.dispatchTo(session, 'READY', {
      v: 10,
      user: { ...bot, verified: true, mfa_enabled: false },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.options.url(),
      shard: [0, 1],
      application: { id: applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
    });
    for (const guild of guilds) this.dispatchTo(session, 'GUILD_CREATE', guildCreateObject(guild, bot, this.options.botRoleId));
  }

  private resume(socket: WebSocket, d: Json): void {
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (!session || d.token !== this.options.token) {
      this.send(socket, { op: Op.InvalidSession, d: false, s: null, t: null });
      return;
    }
    session.socket = socket;
    this.dispatchTo(session, 'RESUMED', {});
  }

  private send(socket: WebSocket, payload: unknown): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  }

  private dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    if (session.socket) this.send(session.socket, { op: Op.Dispatch, t, s: session.seq, d });
  }

  /** Number of sessions whose socket is open (identified or resumed). */
  get connectedSessions(): number {
    return [...this.sessions.values()].filter((s) => s.socket && s.socket.readyState === s.socket.OPEN).length;
  }

  /** Sends a dispatch event to every connected session; returns how many received it. */
  dispatch(t: string, d: unknown): number {
    let sent = 0;
    for (const session of this.sessions.values()) {
      if (session.socket && session.socket.readyState === session.socket.OPEN) {
        this.dispatchTo(session, t, d);
        sent += 1;
      }
    }
    return sent;
  }

  /** Closes every client socket with `code` (4000 → the client resumes; 4004 → it gives up). */
  drop(code = 4000): void {
    for (const socket of this.sockets) socket.close(code, 'fake: dropped');
  }

  /** Resolves with the first received payload with this op (already received ones count). */
  waitFor(op: number, timeoutMs = 5000): Promise<GatewayRecord> {
    const seen = this.received.find((r) => r.op === op);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const listener = (record: GatewayRecord) => {
        if (record.op !== op) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(record);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`fake discord gateway: no op ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(listener);
    });
  }

  /** Terminates every socket and stops the WebSocket server. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
