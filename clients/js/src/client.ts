import { Backoff, resendMs } from "./backoff.js";
import { type CursorStore, MemoryCursors } from "./cursors.js";
import type {
  Ack,
  ConversationSummary,
  ErrorFrame,
  Frame,
  FriendChange,
  FriendEntry,
  GroupChange,
  Invitation,
  Message,
  Presence,
  Receipt,
  Receipts,
  SyncAnswer,
  Typing,
} from "./frames.js";
import { Lines } from "./lines.js";

/** The part of the browser's WebSocket the client uses; the npm `ws` package has it too. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: any }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ClientOptions {
  /** The connection tier's WebSocket endpoint, such as `ws://127.0.0.1:18080/ws`. */
  url: string;
  /** This device's id: the server keeps one socket per device, and a second one replaces the first. */
  device: string;
  /** Gives a valid token; called before every connection, so a 4401 (expired) is answered with a fresh one. */
  token: () => string | Promise<string>;
  /** `ios`, `android`, `web`…: what push notifications target. */
  platform?: string;
  /** The WebSocket class; the global one by default (browsers, Node 22+). In older Node, pass `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Where the last seq per conversation is kept between runs; in memory by default. */
  cursors?: CursorStore;
  /** Reconnect delays: full jitter from `initialMs`, doubling up to `maxMs`. */
  reconnect?: { initialMs?: number; maxMs?: number };
  /**
   * When a message not yet acked goes again: `afterRefusalMs` after a transient refusal (`unavailable`,
   * `rate-limited`), `afterSilenceMs` when nothing came back, each doubling per time up to `maxMs`. By default 1 s,
   * 5 s and a minute.
   */
  resend?: { afterRefusalMs?: number; afterSilenceMs?: number; maxMs?: number };
  /** How long a sync request may take. */
  requestTimeoutMs?: number;
  /** After this long without a frame, the client pings; with no answer within 10 s more, it reconnects. */
  idlePingMs?: number;
}

/** A message or request the server refused, with its code and reason (docs/protocol.md lists them). */
export class ParleyError extends Error {
  readonly code: string;
  readonly reason: string;
  readonly frame?: ErrorFrame;

  constructor(code: string, reason: string, frame?: ErrorFrame) {
    super(`${code}: ${reason}`);
    this.name = "ParleyError";
    this.code = code;
    this.reason = reason;
    this.frame = frame;
  }
}

/** What the client tells its listeners. */
export interface ClientEvents {
  /** Connected and welcomed, first time and after each reconnect. */
  open: { userId: string; deviceId: string };
  /** The socket closed; `reconnecting` says whether the client comes back by itself. */
  close: { code: number; reason: string; reconnecting: boolean };
  /** A message, once, in seq order within its conversation, live or caught up. */
  message: Message;
  receipt: Receipt;
  receipts: Receipts;
  typing: Typing;
  presence: Presence;
  friend: FriendChange;
  group: GroupChange;
  invitation: Invitation;
  /** A refusal that is not about a message sent or a request made through this client. */
  error: ErrorFrame;
}

interface Outgoing {
  /** `send`, or `edit` and `recall`, which are acked and resent like messages. */
  frame: string;
  data: Record<string, unknown> & { clientMsgId: string };
  /** How often it went, counted so that a timer set for an earlier time does nothing. */
  transmissions: number;
  resendTimer?: ReturnType<typeof setTimeout>;
  resolve: (ack: Ack) => void;
  reject: (error: ParleyError) => void;
}

interface Request {
  resolve: (answer: SyncAnswer) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Refusals of a send that mean "not now": the message stays in the outbox and goes again. */
const TRANSIENT = new Set(["unavailable", "rate-limited"]);
/** Close codes after which coming back would only repeat the refusal, or fight another socket of this device. */
const FINAL = new Set([4400, 4409]);
const HISTORY_PAGE = 100;
const MAX_CURSORS = 2000;

/**
 * One device's connection to Parley. It reconnects with jittered backoff, resends every message not yet acked
 * with the same clientMsgId, shows each message once and in seq order (filling gaps from history, holding early
 * ones), and catches up from its cursors on every connect.
 */
export class ParleyClient {
  private readonly options: ClientOptions;
  private readonly store: CursorStore;
  private readonly backoff: Backoff;
  private readonly listeners = new Map<keyof ClientEvents, Set<(event: any) => void>>();
  private readonly outbox = new Map<string, Outgoing>();
  private readonly requests = new Map<string, Request>();
  private readonly controls: Frame[] = [];
  private readonly filling = new Set<string>();
  private lines = new Lines();
  private socket?: WebSocketLike;
  private ready = false;
  private stopped = true;
  private soon = false;
  private counter = 0;
  private lastFrameAt = 0;
  private liveness?: ReturnType<typeof setInterval>;
  private retry?: ReturnType<typeof setTimeout>;
  private catchingUp?: Promise<void>;
  private saving: Promise<void> = Promise.resolve();
  private connected?: { resolve: () => void; reject: (e: Error) => void };
  private self?: { userId: string; deviceId: string };

  constructor(options: ClientOptions) {
    this.options = options;
    this.store = options.cursors ?? new MemoryCursors();
    this.backoff = new Backoff(options.reconnect?.initialMs, options.reconnect?.maxMs);
  }

  /** Subscribes to an event; returns the way to unsubscribe. */
  on<K extends keyof ClientEvents>(event: K, listener: (e: ClientEvents[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set!.delete(listener);
  }

  /** Connects; resolves at the first welcome and keeps the connection up until {@link close}. */
  async connect(): Promise<void> {
    if (!this.stopped) {
      throw new Error("already connected or connecting");
    }
    this.stopped = false;
    this.lines = new Lines(await this.store.load());
    const connected = new Promise<void>((resolve, reject) => (this.connected = { resolve, reject }));
    this.liveness = setInterval(() => this.checkLiveness(), 5_000);
    void this.open();
    return connected;
  }

  /** Closes for good: nothing reconnects, and pending requests fail. Messages not acked stay unsent. */
  close(): void {
    this.stopped = true;
    clearInterval(this.liveness);
    clearTimeout(this.retry);
    const socket = this.socket;
    this.detach();
    socket?.close(1000, "bye");
    // Messages not acked stay in the outbox, unsent, as the doc of close says; their timers go.
    for (const outgoing of this.outbox.values()) {
      clearTimeout(outgoing.resendTimer);
    }
    for (const [id, request] of this.requests) {
      clearTimeout(request.timer);
      request.reject(new Error("client closed"));
      this.requests.delete(id);
    }
  }

  get userId(): string | undefined {
    return this.self?.userId;
  }

  /** The last seq shown per conversation. */
  cursors(): Record<string, number> {
    return this.lines.all();
  }

  /**
   * Sends a message; resolves with its seq once stored, rejects with the server's refusal. Until acked it is resent
   * after every reconnect with the same clientMsgId, so it is stored once however often it is sent.
   */
  send(conversationId: string, content: string, options: { contentType?: string; clientMsgId?: string } = {}): Promise<Ack> {
    const clientMsgId = options.clientMsgId ?? randomId();
    return this.enqueue("send", { conversationId, clientMsgId, contentType: options.contentType ?? "text", content });
  }

  /** Messages sent and not yet acked. */
  unacked(): number {
    return this.outbox.size;
  }

  /** Edits your text message at `seq`; the edit is itself a message, acked like one. */
  edit(conversationId: string, seq: number, content: string): Promise<Ack> {
    return this.enqueue("edit", { conversationId, clientMsgId: randomId(), seq, content });
  }

  /** Recalls your message at `seq` (or any, as a group's owner or admin). */
  recall(conversationId: string, seq: number): Promise<Ack> {
    return this.enqueue("recall", { conversationId, clientMsgId: randomId(), seq });
  }

  /** Moves your read watermark. */
  read(conversationId: string, seq: number): void {
    this.control("receipt.read", { conversationId, seq });
  }

  /** Moves your delivered watermark. */
  delivered(conversationId: string, seq: number): void {
    this.control("receipt.delivered", { conversationId, seq });
  }

  /** Tells the conversation's online members you are typing; dropped when offline, as it would be stale. */
  typing(conversationId: string, state: "started" | "stopped"): void {
    if (this.ready) {
      this.write({ v: 1, t: "typing", d: { conversationId, state } });
    }
  }

  /** A page of the conversation's messages after `afterSeq`, in seq order. */
  async history(conversationId: string, afterSeq: number, limit = HISTORY_PAGE): Promise<Message[]> {
    return (await this.request({ kind: "history", conversationId, afterSeq, limit })).messages ?? [];
  }

  /** Every conversation with its last message and unread count. */
  async conversations(): Promise<ConversationSummary[]> {
    return (await this.request({ kind: "conversations" })).conversations ?? [];
  }

  async friendList(): Promise<FriendEntry[]> {
    return (await this.request({ kind: "friends" })).friends ?? [];
  }

  /** The groups you are invited to and have not answered, newest first. */
  async invitations(): Promise<{ groupId: string; name?: string; actor: string; since?: string }[]> {
    return (await this.request({ kind: "invitations" })).invitations ?? [];
  }

  async members(groupId: string): Promise<{ userId: string; role: string }[]> {
    return (await this.request({ kind: "members", conversationId: `g:${groupId}` })).members ?? [];
  }

  async readers(conversationId: string, seq: number): Promise<string[]> {
    return (await this.request({ kind: "readers", conversationId, seq })).readers ?? [];
  }

  /** Friend requests and blocks: the answers come as `friend` events. */
  readonly friends = {
    request: (userId: string, message?: string) => this.control("friend.request", message ? { userId, message } : { userId }),
    accept: (userId: string) => this.control("friend.accept", { userId }),
    decline: (userId: string) => this.control("friend.decline", { userId }),
    cancel: (userId: string) => this.control("friend.cancel", { userId }),
    remove: (userId: string) => this.control("friend.remove", { userId }),
    block: (userId: string) => this.control("friend.block", { userId }),
    unblock: (userId: string) => this.control("friend.unblock", { userId }),
  };

  /** Groups: the changes come as `group` and `invitation` events. */
  readonly groups = {
    create: (groupId: string, name: string, members: string[], joinable = false) =>
      this.control("group.create", { groupId, name, members, joinable }),
    join: (groupId: string, members?: string[]) => this.control("group.join", members ? { groupId, members } : { groupId }),
    leave: (groupId: string, members?: string[]) => this.control("group.leave", members ? { groupId, members } : { groupId }),
    role: (groupId: string, userId: string, role: "owner" | "admin" | "member") =>
      this.control("group.role", { groupId, userId, role }),
  };

  /** Your presence, and the users whose presence you follow beyond your friends. */
  readonly presence = {
    set: (state: "online" | "away") => this.control("presence.set", { state }),
    watch: (add: string[], remove: string[] = []) => this.control("presence.watch", { add, remove }),
  };

  /** Registers this device for push notifications. */
  registerPush(platform: "apns" | "fcm", token: string, appId?: string): void {
    this.control("push.register", appId ? { platform, token, appId } : { platform, token });
  }

  private enqueue(frame: string, data: Outgoing["data"]): Promise<Ack> {
    return new Promise<Ack>((resolve, reject) => {
      const outgoing: Outgoing = { frame, data, transmissions: 0, resolve, reject };
      this.outbox.set(data.clientMsgId, outgoing);
      if (this.ready) {
        this.transmit(outgoing);
      }
    });
  }

  private async open(): Promise<void> {
    if (this.stopped) {
      return;
    }
    let token: string;
    try {
      token = await this.options.token();
    } catch {
      // The provider failed (its backend is down, say): try again later, as after a failed connection.
      this.reconnectLater(this.backoff.next());
      return;
    }
    if (this.stopped) {
      return;
    }
    const url = new URL(this.options.url);
    url.searchParams.set("token", token);
    url.searchParams.set("device", this.options.device);
    if (this.options.platform) {
      url.searchParams.set("platform", this.options.platform);
    }
    const Socket = this.options.WebSocket ?? (globalThis as any).WebSocket;
    if (!Socket) {
      throw new Error("no WebSocket: pass one (the npm ws package in Node before 22)");
    }
    const socket: WebSocketLike = new Socket(url.toString());
    this.socket = socket;
    this.lastFrameAt = Date.now();
    socket.onmessage = (event) => {
      if (this.socket === socket) {
        this.lastFrameAt = Date.now();
        this.receive(String(event.data));
      }
    };
    socket.onclose = (event) => {
      if (this.socket === socket) {
        this.closed(event.code, event.reason);
      }
    };
    socket.onerror = () => {
      // A close event follows.
    };
  }

  /** The socket is gone: listeners hear of it, and the client comes back unless told not to. */
  private closed(code: number, reason: string): void {
    this.detach();
    const reconnecting = !this.stopped && !FINAL.has(code);
    this.emit("close", { code, reason, reconnecting });
    for (const [id, request] of this.requests) {
      clearTimeout(request.timer);
      request.reject(new Error(`connection closed (${code})`));
      this.requests.delete(id);
    }
    if (!reconnecting) {
      if (!this.stopped) {
        this.stopped = true;
        clearInterval(this.liveness);
        this.connected?.reject(new ParleyError(String(code), reason || "closed"));
      }
      return;
    }
    // A node going away (1012, after a reconnect frame) is not a failure: come back at once, jittered.
    const delay = code === 1012 || this.soon ? Math.floor(Math.random() * 250) : this.backoff.next();
    this.reconnectLater(delay);
  }

  private reconnectLater(delayMs: number): void {
    this.soon = false;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.open(), delayMs);
  }

  private detach(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.ready = false;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      socket.onopen = null;
    }
  }

  private checkLiveness(): void {
    const socket = this.socket;
    if (!socket || !this.ready) {
      return;
    }
    const idle = this.options.idlePingMs ?? 25_000;
    const quiet = Date.now() - this.lastFrameAt;
    if (quiet > idle + 10_000) {
      // No answer to the ping: the connection is dead even if the socket does not know it yet.
      socket.close(4000, "no answer");
      this.closed(4000, "no answer to ping");
    } else if (quiet > idle) {
      this.write({ v: 1, t: "ping" });
    }
  }

  private receive(text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    const d = frame.d;
    switch (frame.t) {
      case "welcome":
        this.welcomed(d);
        break;
      case "ack": {
        const outgoing = this.outbox.get(d.clientMsgId);
        if (outgoing) {
          this.outbox.delete(d.clientMsgId);
          clearTimeout(outgoing.resendTimer);
          outgoing.resolve(d as Ack);
        }
        break;
      }
      case "msg":
        this.show(this.lines.live(d as Message));
        if (this.lines.gap(d.conversationId)) {
          void this.fill(d.conversationId);
        }
        break;
      case "sync": {
        const request = this.requests.get(d.requestId);
        if (request) {
          this.requests.delete(d.requestId);
          clearTimeout(request.timer);
          request.resolve(d as SyncAnswer);
        }
        break;
      }
      case "error":
        this.refused(frame.id, d as ErrorFrame);
        break;
      case "resync":
        void this.catchUp();
        break;
      case "reconnect":
        this.soon = true;
        break;
      case "receipt":
      case "receipts":
      case "typing":
      case "presence":
      case "friend":
      case "group":
      case "invitation":
        this.emit(frame.t, d);
        break;
      default:
        break;
    }
  }

  private welcomed(d: { userId: string; deviceId: string }): void {
    this.ready = true;
    this.backoff.reset();
    this.self = { userId: d.userId, deviceId: d.deviceId };
    this.emit("open", this.self);
    this.connected?.resolve();
    this.connected = undefined;
    for (const outgoing of this.outbox.values()) {
      this.transmit(outgoing);
    }
    for (const frame of this.controls.splice(0)) {
      this.write(frame);
    }
    void this.catchUp();
  }

  private refused(id: string | undefined, error: ErrorFrame): void {
    const key = error.clientMsgId ?? id;
    const outgoing = key ? this.outbox.get(key) : undefined;
    if (outgoing) {
      if (TRANSIENT.has(error.code)) {
        // Not taken: it goes again after a while, or after the next reconnect.
        this.resendLater(outgoing, this.options.resend?.afterRefusalMs ?? 1_000);
        return;
      }
      this.outbox.delete(key!);
      clearTimeout(outgoing.resendTimer);
      outgoing.reject(new ParleyError(error.code, error.reason, error));
      return;
    }
    const request = id ? this.requests.get(id) : undefined;
    if (request) {
      this.requests.delete(id!);
      clearTimeout(request.timer);
      request.reject(new ParleyError(error.code, error.reason, error));
      return;
    }
    this.emit("error", error);
  }

  private transmit(outgoing: Outgoing): void {
    const d: Record<string, unknown> = { ...outgoing.data };
    if (outgoing.transmissions > 0 && outgoing.frame === "send") {
      d.resend = true;
    }
    outgoing.transmissions++;
    this.write({ v: 1, t: outgoing.frame, id: outgoing.data.clientMsgId, d });
    // Neither ack nor refusal: the frame or its event may be lost on the way, so it goes again.
    this.resendLater(outgoing, this.options.resend?.afterSilenceMs ?? 5_000);
  }

  /** Sends the message again after a wait doubling per time, unless it was acked or refused, or went again meanwhile. */
  private resendLater(outgoing: Outgoing, firstMs: number): void {
    const n = outgoing.transmissions;
    const delay = resendMs(n, firstMs, this.options.resend?.maxMs ?? 60_000);
    clearTimeout(outgoing.resendTimer);
    outgoing.resendTimer = setTimeout(() => {
      if (this.ready && this.outbox.get(outgoing.data.clientMsgId) === outgoing && outgoing.transmissions === n) {
        this.transmit(outgoing);
      }
    }, delay);
  }

  /** A control frame: sent now, or on the next connect. */
  private control(t: string, d: Record<string, unknown>): void {
    const frame: Frame = { v: 1, t, d };
    if (this.ready) {
      this.write(frame);
    } else {
      this.controls.push(frame);
    }
  }

  private write(frame: Frame): void {
    const socket = this.socket;
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify(frame));
    }
  }

  private request(query: Record<string, unknown>): Promise<SyncAnswer> {
    const requestId = `r${++this.counter}-${randomId().slice(0, 8)}`;
    return new Promise<SyncAnswer>((resolve, reject) => {
      if (!this.ready) {
        reject(new Error("not connected"));
        return;
      }
      const timer = setTimeout(() => {
        this.requests.delete(requestId);
        reject(new Error(`sync ${query.kind} timed out`));
      }, this.options.requestTimeoutMs ?? 15_000);
      this.requests.set(requestId, { resolve, reject, timer });
      this.write({ v: 1, t: "sync", id: requestId, d: { requestId, ...query } });
    });
  }

  /** Fills a conversation's gap from history, page by page, then releases what was held behind it. */
  private async fill(conversationId: string): Promise<void> {
    if (this.filling.has(conversationId)) {
      return;
    }
    this.filling.add(conversationId);
    try {
      while (this.lines.gap(conversationId)) {
        const page = await this.history(conversationId, this.lines.cursor(conversationId), HISTORY_PAGE);
        this.show(this.lines.stored(conversationId, page));
        if (page.length < HISTORY_PAGE) {
          this.show(this.lines.settle(conversationId));
        }
      }
    } catch {
      // Disconnected meanwhile: the catch-up after the reconnect fills it.
    } finally {
      this.filling.delete(conversationId);
    }
  }

  /** Everything after the cursors, conversation by conversation, until the server has no more. */
  private catchUp(): Promise<void> {
    if (!this.catchingUp) {
      this.catchingUp = (async () => {
        try {
          for (;;) {
            const cursors = Object.fromEntries(Object.entries(this.lines.all()).slice(0, MAX_CURSORS));
            const answer = await this.request({ kind: "catch-up", cursors });
            const byConversation = new Map<string, Message[]>();
            for (const m of answer.messages ?? []) {
              const list = byConversation.get(m.conversationId) ?? [];
              list.push(m);
              byConversation.set(m.conversationId, list);
            }
            for (const [conversation, messages] of byConversation) {
              this.show(this.lines.stored(conversation, messages));
            }
            if (!answer.hasMore || byConversation.size === 0) {
              break;
            }
          }
          for (const conversation of this.lines.gaps()) {
            void this.fill(conversation);
          }
        } catch {
          // Disconnected: the next connect catches up again.
        } finally {
          this.catchingUp = undefined;
        }
      })();
    }
    return this.catchingUp;
  }

  private show(messages: Message[]): void {
    if (messages.length === 0) {
      return;
    }
    for (const m of messages) {
      this.emit("message", m);
    }
    const cursors = this.lines.all();
    this.saving = this.saving.then(() => this.store.save(cursors)).catch(() => undefined);
  }

  private emit<K extends keyof ClientEvents>(event: K, payload: ClientEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (e) {
        // A listener's failure is the app's; the connection goes on.
        setTimeout(() => {
          throw e;
        });
      }
    }
  }
}

function randomId(): string {
  const crypto = (globalThis as any).crypto;
  if (crypto?.randomUUID) {
    return crypto.randomUUID();
  }
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}
