// Against a running stack: PARLEY_WS_URL (ws://host:port/ws) and PARLEY_SECRET (its development JWT secret).
// Run by e2e's ClientsIT in ./parley test, against the real tier, Kafka, Redis and Cassandra.
import assert from "node:assert/strict";
import { createHmac, randomUUID } from "node:crypto";
import { test } from "node:test";
import WebSocket from "ws";
import { MemoryCursors, ParleyClient } from "../../dist/index.js";

const URL_ = process.env.PARLEY_WS_URL;
const SECRET = process.env.PARLEY_SECRET;
const run = randomUUID().slice(0, 8);

function token(user) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: user, iat: now, exp: now + 600 })}`;
  return `${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`;
}

function client(user, options = {}) {
  // Every socket the client opens is kept, so that a test can cut one.
  const sockets = [];
  class Socket extends WebSocket {
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  const c = new ParleyClient({ url: URL_, device: "d1", token: () => token(user), WebSocket: Socket,
    reconnect: { initialMs: 100, maxMs: 1000 }, ...options });
  const seen = [];
  c.on("message", (m) => seen.push(m));
  return { c, seen, sockets };
}

function waitFor(check, what, ms = 20_000) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() > end) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

async function friends(a, aUser, b, bUser) {
  const accepted = new Promise((resolve) => a.on("friend", (f) => f.change === "accepted" && resolve()));
  b.on("friend", (f) => f.change === "requested" && f.actor === aUser && b.friends.accept(aUser));
  a.friends.request(bUser, "hi");
  await accepted;
}

const direct = (x, y) => `d:${[x, y].sort().join(":")}`;

test("two users become friends, chat in order, and see each other's read", async () => {
  const alice = `alice-${run}`;
  const bob = `bob-${run}`;
  const a = client(alice);
  const b = client(bob);
  await a.c.connect();
  await b.c.connect();
  try {
    await friends(a.c, alice, b.c, bob);
    const conversation = direct(alice, bob);
    const acks = await Promise.all(["one", "two", "three"].map((t) => a.c.send(conversation, t)));
    assert.deepEqual(acks.map((x) => x.serverSeq), [1, 2, 3]);
    await waitFor(() => b.seen.length === 3, "bob's three messages");
    assert.deepEqual(b.seen.map((m) => [m.serverSeq, m.content]), [[1, "one"], [2, "two"], [3, "three"]]);
    const read = new Promise((resolve) => a.c.on("receipt", (r) => r.kind === "read" && r.seq === 3 && resolve(r)));
    b.c.read(conversation, 3);
    assert.equal((await read).userId, bob);
    const list = await b.c.conversations();
    assert.equal(list.find((x) => x.conversationId === conversation).unread, 0);
  } finally {
    a.c.close();
    b.c.close();
  }
});

test("a device that was away catches up on connect, each message once", async () => {
  const alice = `ann-${run}`;
  const bob = `ben-${run}`;
  const a = client(alice);
  const cursors = new MemoryCursors();
  let b = client(bob, { cursors });
  await a.c.connect();
  await b.c.connect();
  const conversation = direct(alice, bob);
  try {
    await friends(a.c, alice, b.c, bob);
    await a.c.send(conversation, "before");
    await waitFor(() => b.seen.length === 1, "the first message");
    b.c.close();
    for (const t of ["while", "you", "were", "away"]) {
      await a.c.send(conversation, t);
    }
    b = client(bob, { cursors });
    await b.c.connect();
    await waitFor(() => b.seen.length === 4, "the catch-up");
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(b.seen.map((m) => m.content), ["while", "you", "were", "away"]);
    assert.deepEqual(b.seen.map((m) => m.serverSeq), [2, 3, 4, 5]);
  } finally {
    a.c.close();
    b.c.close();
  }
});

test("the connection cut mid-send loses nothing and duplicates nothing", async () => {
  const alice = `cat-${run}`;
  const bob = `dan-${run}`;
  const a = client(alice);
  const b = client(bob);
  await a.c.connect();
  await b.c.connect();
  const conversation = direct(alice, bob);
  try {
    await friends(a.c, alice, b.c, bob);
    const closes = [];
    a.c.on("close", (c) => closes.push(c));
    const texts = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const sending = [];
    for (const [i, t] of texts.entries()) {
      sending.push(a.c.send(conversation, t));
      if (i === 14) {
        // Cut the TCP connection with frames on their way and acks outstanding.
        a.sockets.at(-1).terminate();
      }
    }
    const acks = await Promise.all(sending);
    assert.ok(closes.length >= 1 && closes[0].reconnecting, "the client noticed and came back");
    const seqs = acks.map((x) => x.serverSeq);
    assert.equal(new Set(seqs).size, 40, "each message stored once");
    await waitFor(() => b.seen.length >= 40, "bob's forty messages");
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(b.seen.length, 40, "nothing twice");
    assert.deepEqual([...b.seen.map((m) => m.content)].sort(), [...texts].sort(), "nothing lost");
    const shown = b.seen.map((m) => m.serverSeq);
    assert.deepEqual(shown, [...shown].sort((x, y) => x - y), "in seq order");
    assert.deepEqual(shown, [...seqs].sort((x, y) => x - y));
  } finally {
    a.c.close();
    b.c.close();
  }
});
