// A WebSocket stand-in for unit tests: the test plays the server.
export class FakeSocket {
  static instances = [];

  constructor(url) {
    this.url = new URL(url);
    this.readyState = 1;
    this.sent = [];
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    FakeSocket.instances.push(this);
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close(code = 1000, reason = "") {
    this.drop(code, reason);
  }

  // Server side.
  frame(t, d, id) {
    this.onmessage?.({ data: JSON.stringify(id ? { v: 1, t, id, d } : { v: 1, t, d }) });
  }

  welcome(userId = "ann") {
    this.frame("welcome", { userId, deviceId: this.url.searchParams.get("device") });
  }

  drop(code, reason = "") {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The frames of type t the client sent. */
  of(t) {
    return this.sent.filter((f) => f.t === t);
  }

  /** Answers the client's latest sync request of this kind. */
  answer(kind, data) {
    const request = this.of("sync").filter((f) => f.d.kind === kind).at(-1);
    if (!request) throw new Error(`no ${kind} request in ${JSON.stringify(this.sent)}`);
    this.frame("sync", { requestId: request.d.requestId, target: { userId: "ann", deviceId: "d" }, nodeId: "n1", hasMore: false, ...data }, request.id);
  }
}

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(check, what, ms = 2000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick(5);
  }
}

export function msg(conversationId, serverSeq, content = `m${serverSeq}`) {
  return { conversationId, clientMsgId: `c${serverSeq}`, serverSeq, sender: { userId: "ben", deviceId: "p" }, contentType: "text", content, sentAt: "2026-12-06T00:00:00Z" };
}
