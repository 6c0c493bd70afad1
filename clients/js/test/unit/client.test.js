import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { ParleyClient, ParleyError } from "../../dist/index.js";
import { FakeSocket, msg, tick, until } from "./fake-socket.js";

let client;

function start(options = {}) {
  FakeSocket.instances = [];
  let tokens = 0;
  client = new ParleyClient({
    url: "ws://parley.test/ws",
    device: "phone",
    token: () => `t${++tokens}`,
    WebSocket: FakeSocket,
    reconnect: { initialMs: 10, maxMs: 20 },
    ...options,
  });
  const shown = [];
  client.on("message", (m) => shown.push(`${m.conversationId}#${m.serverSeq}`));
  return { shown, tokens: () => tokens };
}

const socket = (i = -1) => FakeSocket.instances.at(i);

afterEach(() => client?.close());

test("a message sent before the welcome goes after it, and its ack resolves it", async () => {
  start();
  const connected = client.connect();
  const sent = client.send("d:ann:ben", "hi");
  await until(() => socket(), "a socket");
  assert.equal(socket().url.searchParams.get("token"), "t1");
  assert.equal(socket().url.searchParams.get("device"), "phone");
  assert.equal(socket().of("send").length, 0, "not before the welcome");
  socket().welcome();
  await connected;
  const [frame] = socket().of("send");
  assert.equal(frame.d.content, "hi");
  assert.equal(frame.d.resend, undefined);
  socket().frame("ack", { clientMsgId: frame.d.clientMsgId, conversationId: "d:ann:ben", serverSeq: 7 });
  assert.equal((await sent).serverSeq, 7);
  assert.equal(client.unacked(), 0);
});

test("after a drop, what was not acked goes again with the same clientMsgId, flagged as a resend, and a fresh token", async () => {
  const { tokens } = start();
  const connected = client.connect();
  await until(() => socket(), "a socket");
  socket().welcome();
  await connected;
  const a = client.send("d:ann:ben", "one");
  const b = client.send("d:ann:ben", "two");
  const first = socket().of("send").map((f) => f.d.clientMsgId);
  socket().frame("ack", { clientMsgId: first[0], conversationId: "d:ann:ben", serverSeq: 1 });
  socket().drop(1006);
  await until(() => FakeSocket.instances.length === 2, "a reconnect");
  assert.equal(tokens(), 2);
  socket().welcome();
  const again = socket().of("send");
  assert.deepEqual(again.map((f) => [f.d.clientMsgId, f.d.resend]), [[first[1], true]]);
  socket().frame("ack", { clientMsgId: first[1], conversationId: "d:ann:ben", serverSeq: 2 });
  assert.deepEqual([(await a).serverSeq, (await b).serverSeq], [1, 2]);
});

test("a refusal rejects its message with the code; unavailable sends it again", async () => {
  start();
  const connected = client.connect();
  await until(() => socket(), "a socket");
  socket().welcome();
  await connected;
  const refused = client.send("d:ann:zed", "hi");
  const retried = client.send("d:ann:ben", "hi");
  const [r, u] = socket().of("send");
  socket().frame("error", { code: "not-friends", reason: "not friends", clientMsgId: r.d.clientMsgId, conversationId: "d:ann:zed" });
  await assert.rejects(refused, (e) => e instanceof ParleyError && e.code === "not-friends");
  socket().frame("error", { code: "unavailable", reason: "broker", clientMsgId: u.d.clientMsgId }, u.id);
  await until(() => socket().of("send").length === 3, "the retry", 3000);
  socket().frame("ack", { clientMsgId: u.d.clientMsgId, conversationId: "d:ann:ben", serverSeq: 4 });
  assert.equal((await retried).serverSeq, 4);
});

test("a message with no answer goes again after a wait that doubles, flagged as a resend, until its ack", async () => {
  start({ resend: { afterRefusalMs: 10, afterSilenceMs: 40, maxMs: 1000 } });
  const connected = client.connect();
  await until(() => socket(), "a socket");
  socket().welcome();
  await connected;
  const sent = client.send("d:ann:ben", "hi");
  const started = Date.now();
  await until(() => socket().of("send").length === 3, "two resends");
  const [first, second, third] = socket().of("send");
  assert.ok(Date.now() - started >= 40 + 80, "40 ms, then 80 ms");
  assert.equal(first.d.resend, undefined);
  assert.equal(second.d.resend, true);
  assert.equal(third.d.clientMsgId, first.d.clientMsgId);
  socket().frame("ack", { clientMsgId: first.d.clientMsgId, conversationId: "d:ann:ben", serverSeq: 2 });
  assert.equal((await sent).serverSeq, 2);
  await tick(400);
  assert.equal(socket().of("send").length, 3, "nothing after the ack");
});

test("a gap is filled from history before what came early is shown; duplicates are dropped", async () => {
  const { shown } = start();
  const connected = client.connect();
  await until(() => socket(), "a socket");
  socket().welcome();
  await connected;
  socket().answer("catch-up", { messages: [msg("d:ann:ben", 1)] });
  await until(() => shown.length === 1, "the catch-up");
  socket().frame("msg", msg("d:ann:ben", 4));
  socket().frame("msg", msg("d:ann:ben", 1));
  await until(() => socket().of("sync").some((f) => f.d.kind === "history"), "a history request");
  const history = socket().of("sync").find((f) => f.d.kind === "history");
  assert.equal(history.d.afterSeq, 1);
  assert.deepEqual(shown, ["d:ann:ben#1"], "4 waits for 2 and 3");
  socket().answer("history", { messages: [msg("d:ann:ben", 2), msg("d:ann:ben", 3), msg("d:ann:ben", 4)] });
  await until(() => shown.length === 4, "the fill");
  socket().frame("msg", msg("d:ann:ben", 4));
  await tick(20);
  assert.deepEqual(shown, ["d:ann:ben#1", "d:ann:ben#2", "d:ann:ben#3", "d:ann:ben#4"]);
});

test("every connect catches up from the cursors, and the cursors are saved", async () => {
  let saved = {};
  const cursors = { load: async () => ({ "g:crew": 10 }), save: async (c) => { saved = c; } };
  const { shown } = start({ cursors });
  const connected = client.connect();
  await until(() => socket(), "a socket");
  socket().welcome();
  await connected;
  const [catchUp] = socket().of("sync");
  assert.deepEqual(catchUp.d.cursors, { "g:crew": 10 });
  socket().answer("catch-up", { messages: [msg("g:crew", 11), msg("g:crew", 12)] });
  await until(() => saved["g:crew"] === 12, "the saved cursor");
  socket().drop(1012);
  await until(() => FakeSocket.instances.length === 2, "the reconnect after a restart");
  socket().welcome();
  await until(() => socket().of("sync").length === 1, "the second catch-up");
  assert.deepEqual(socket().of("sync")[0].d.cursors, { "g:crew": 12 });
  assert.deepEqual(shown, ["g:crew#11", "g:crew#12"]);
});

test("replaced by the same device (4409), it stays closed; a control frame waits for the connection", async () => {
  start();
  const closes = [];
  client.on("close", (c) => closes.push(c));
  client.friends.request("ben", "hi");
  const connected = client.connect();
  await until(() => socket(), "a socket");
  socket().welcome();
  await connected;
  assert.deepEqual(socket().of("friend.request").map((f) => f.d), [{ userId: "ben", message: "hi" }]);
  socket().drop(4409, "replaced");
  await tick(60);
  assert.equal(FakeSocket.instances.length, 1);
  assert.deepEqual(closes, [{ code: 4409, reason: "replaced", reconnecting: false }]);
});

test("a first connection refused for a bad request fails connect()", async () => {
  start();
  const connected = client.connect();
  await until(() => socket(), "a socket");
  socket().drop(4400, "bad request");
  await assert.rejects(connected, (e) => e instanceof ParleyError && e.code === "4400");
});
