// The web chat page: plain ESM on the JavaScript client, which the launcher serves under /sdk/.
import { IndexedDbCursors, ParleyClient } from "/sdk/index.js";

const $ = (id) => document.getElementById(id);
const PAGE = 30;

let client;
let me;
let active = null;
/** conversationId → { id, lastSeq, unread, last } */
const conversations = new Map();
/** userId → friend, incoming, outgoing or blocked */
const relations = new Map();
const presence = new Map();
const invitations = new Map();
/** The active conversation's messages by seq, and pending sends by clientMsgId. */
let shown = new Map();
const pending = new Map();
/** conversationId → the highest seq another member has read, and has received. */
const peerRead = new Map();
const peerDelivered = new Map();
const typing = new Map();
let lastTypingSent = 0;

const direct = (a, b) => `d:${[a, b].sort().join(":")}`;
const title = (id) => (id.startsWith("g:") ? `# ${id.slice(2)}` : id.slice(2).split(":").find((u) => u !== me) ?? id);

async function fetchToken(user) {
  const answer = await fetch("/token", { method: "POST", body: `user=${encodeURIComponent(user)}`,
    headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  if (!answer.ok) throw new Error(await answer.text());
  return answer.json();
}

$("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const user = $("user").value.trim();
  try {
    const { url } = await fetchToken(user);
    me = user;
    // Cursors survive a reload, so the page catches up from where it was.
    client = new ParleyClient({ url, device: "web", platform: "web", cursors: new IndexedDbCursors(`parley-${user}-web`),
      token: async () => (await fetchToken(user)).token });
    listen();
    await client.connect();
    $("sign-in").hidden = true;
    $("app").hidden = false;
    $("me").textContent = me;
    await load();
  } catch (e) {
    $("sign-in-error").textContent = String(e.message ?? e);
  }
});

function listen() {
  client.on("open", () => { $("connection").textContent = "online"; });
  client.on("close", (c) => { $("connection").textContent = c.reconnecting ? "reconnecting…" : "offline"; });
  client.on("message", (m) => {
    // A message from someone ends their typing there (typing frames may arrive out of order).
    if (typing.get(m.conversationId)?.user === m.sender.userId) {
      typing.delete(m.conversationId);
      renderTyping();
    }
    const c = conversation(m.conversationId);
    if (m.serverSeq > c.lastSeq) {
      c.lastSeq = m.serverSeq;
      c.last = m;
      if (m.sender.userId !== me && m.conversationId !== active) c.unread++;
    }
    if (m.conversationId === active) {
      shown.set(m.serverSeq, m);
      renderMessages();
      if (m.sender.userId !== me) client.read(active, m.serverSeq);
    } else if (m.sender.userId !== me) {
      client.delivered(m.conversationId, m.serverSeq);
    }
    renderConversations();
  });
  client.on("receipt", (r) => {
    if (r.userId !== me) {
      const marks = r.kind === "read" ? peerRead : peerDelivered;
      marks.set(r.conversationId, Math.max(marks.get(r.conversationId) ?? 0, r.seq));
      if (r.conversationId === active) renderMessages();
    }
  });
  client.on("typing", (t) => {
    if (t.userId === me) return;
    if (t.state === "stopped") typing.delete(t.conversationId);
    else typing.set(t.conversationId, { user: t.userId, until: Date.now() + t.expiresInMs });
    renderTyping();
  });
  client.on("presence", (p) => { presence.set(p.userId, p.state); renderFriends(); });
  client.on("friend", (f) => {
    if (f.change === "requested") relations.set(f.userId, f.actor === me ? "outgoing" : "incoming");
    else if (f.change === "accepted") {
      relations.set(f.userId, "friend");
      // Friends made before this connection are told at connect; a new one's state comes with a watch.
      client.presence.watch([f.userId]);
    }
    else if (f.change === "blocked") relations.set(f.userId, "blocked");
    else relations.delete(f.userId);
    renderFriends();
  });
  client.on("group", (g) => {
    if (["created", "joined"].includes(g.change)) conversation(`g:${g.groupId}`);
    invitations.delete(g.groupId);
    renderConversations();
    renderInvitations();
  });
  client.on("invitation", (i) => {
    if (i.change === "invited") invitations.set(i.groupId, i);
    else invitations.delete(i.groupId);
    renderInvitations();
  });
  client.on("error", (e) => { $("chat-error").textContent = `${e.code}: ${e.reason}`; });
  setInterval(renderTyping, 1000);
}

async function load() {
  for (const s of await client.conversations()) {
    const c = conversation(s.conversationId);
    c.lastSeq = Math.max(c.lastSeq, s.lastSeq);
    c.unread = s.unread;
    c.last = s.lastMessage ?? c.last;
  }
  for (const f of await client.friendList()) relations.set(f.userId, f.relation);
  for (const i of await client.invitations()) invitations.set(i.groupId, { ...i, change: "invited" });
  renderConversations();
  renderFriends();
  renderInvitations();
}

function conversation(id) {
  let c = conversations.get(id);
  if (!c) {
    c = { id, lastSeq: 0, unread: 0, last: null };
    conversations.set(id, c);
  }
  return c;
}

async function open(id) {
  active = id;
  const c = conversation(id);
  c.unread = 0;
  shown = new Map();
  pending.clear();
  $("chat-title").textContent = title(id);
  $("composer").hidden = false;
  $("chat-error").textContent = "";
  for (const m of await client.history(id, Math.max(0, c.lastSeq - PAGE), PAGE)) shown.set(m.serverSeq, m);
  const mine = [...shown.values()].filter((m) => m.sender.userId === me).at(-1);
  if (mine) {
    const readers = await client.readers(id, mine.serverSeq);
    if (readers.some((u) => u !== me)) peerRead.set(id, Math.max(peerRead.get(id) ?? 0, mine.serverSeq));
  }
  if (c.lastSeq > 0) client.read(id, c.lastSeq);
  renderConversations();
  renderMessages(true);
  renderTyping();
}

$("earlier").addEventListener("click", async () => {
  const first = Math.min(...shown.keys());
  for (const m of await client.history(active, Math.max(0, first - 1 - PAGE), Math.min(PAGE, first - 1))) {
    shown.set(m.serverSeq, m);
  }
  renderMessages();
});

$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("text").value;
  $("text").value = "";
  const id = active;
  const key = `${Date.now()}-${Math.random()}`;
  pending.set(key, text);
  renderMessages(true);
  client.typing(id, "stopped");
  lastTypingSent = 0;
  try {
    const ack = await client.send(id, text);
    pending.delete(key);
    if (id === active) {
      shown.set(ack.serverSeq, { conversationId: id, serverSeq: ack.serverSeq, clientMsgId: ack.clientMsgId,
        sender: { userId: me, deviceId: "web" }, contentType: "text", content: text, sentAt: new Date().toISOString() });
      renderMessages(true);
    }
  } catch (e) {
    pending.delete(key);
    $("chat-error").textContent = `not sent: ${e.code ?? ""} ${e.reason ?? e.message}`;
    renderMessages();
  }
});

$("text").addEventListener("input", () => {
  if (active && Date.now() - lastTypingSent > 3000) {
    lastTypingSent = Date.now();
    client.typing(active, "started");
  }
});

$("add-friend").addEventListener("submit", (event) => {
  event.preventDefault();
  client.friends.request($("friend-user").value.trim());
  $("friend-user").value = "";
});

$("new-group").addEventListener("submit", (event) => {
  event.preventDefault();
  const members = $("group-members").value.split(",").map((m) => m.trim()).filter(Boolean);
  client.groups.create($("group-id").value.trim(), $("group-name").value.trim() || $("group-id").value.trim(), members);
  $("new-group").reset();
});

function item(className, ...children) {
  const li = document.createElement("li");
  li.className = className;
  li.append(...children);
  return li;
}

function span(text, className = "") {
  const s = document.createElement("span");
  s.textContent = text;
  s.className = className;
  return s;
}

function button(text, onClick, className = "quiet") {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.className = className;
  b.addEventListener("click", onClick);
  return b;
}

function renderConversations() {
  const list = [...conversations.values()].sort((a, b) => (b.last?.sentAt ?? "").localeCompare(a.last?.sentAt ?? ""));
  $("conversations").replaceChildren(...list.map((c) => {
    const row = document.createElement("div");
    row.className = "row";
    row.append(span(title(c.id), "name"));
    if (c.unread > 0) row.append(span(String(c.unread), "badge"));
    const li = item(`conversation${c.id === active ? " active" : ""}`, row, span(c.last?.content ?? "", "last"));
    li.dataset.conversation = c.id;
    li.addEventListener("click", () => open(c.id));
    return li;
  }));
}

function renderFriends() {
  const incoming = [...relations].filter(([, r]) => r === "incoming");
  $("requests").replaceChildren(...incoming.map(([user]) => item("request", span(`${user} asks`),
    button("Accept", () => client.friends.accept(user), ""), button("Decline", () => client.friends.decline(user)))));
  const friends = [...relations].filter(([, r]) => r === "friend" || r === "outgoing");
  $("friends").replaceChildren(...friends.map(([user, r]) => {
    const dot = span("", `dot ${presence.get(user) ?? "offline"}`);
    const li = item("friend", dot, span(r === "outgoing" ? `${user} (asked)` : user));
    li.dataset.user = user;
    if (r === "friend") {
      li.append(button("Chat", () => open(direct(me, user))), button("Block", () => client.friends.block(user)));
    }
    return li;
  }));
}

function renderInvitations() {
  $("invitations").replaceChildren(...[...invitations.values()].map((i) => item("invitation",
    span(`${i.name ?? i.groupId} from ${i.actor}`), button("Join", () => client.groups.join(i.groupId), ""))));
}

function renderMessages(toBottom = false) {
  const box = $("messages");
  const read = peerRead.get(active) ?? 0;
  // Read implies received.
  const delivered = Math.max(read, peerDelivered.get(active) ?? 0);
  const rows = [...shown.values()].sort((a, b) => a.serverSeq - b.serverSeq).map((m) => {
    const mine = m.sender.userId === me;
    const li = item(mine ? "mine" : "theirs");
    li.dataset.seq = String(m.serverSeq);
    if (!mine && active.startsWith("g:")) li.append(span(m.sender.userId, "who"), document.createElement("br"));
    li.append(span(m.recalled ? "(recalled)" : m.content, "content"));
    // ✓ stored, ✓✓ received by another member, blue ✓✓ read.
    if (mine) li.append(span(m.serverSeq <= delivered ? "✓✓" : "✓", m.serverSeq <= read ? "ticks read" : "ticks"));
    return li;
  });
  for (const text of pending.values()) rows.push(item("mine pending", span(text, "content"), span("…", "ticks")));
  box.replaceChildren(...rows);
  $("earlier").hidden = shown.size === 0 || Math.min(...shown.keys()) <= 1;
  if (toBottom) box.scrollTop = box.scrollHeight;
}

function renderTyping() {
  const t = active ? typing.get(active) : null;
  $("typing").textContent = t && t.until > Date.now() ? `${t.user} is typing…` : "";
}
