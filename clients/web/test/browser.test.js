// The web chat in a real browser: Debian's Chromium, headless, driven by playwright-core. PARLEY_WEB_URL is the
// page as the launcher serves it, against a whole running system. Run by e2e's ClientsIT in ./parley test.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const URL_ = process.env.PARLEY_WEB_URL;
const SHOTS = process.env.PARLEY_SCREENSHOTS ?? "screenshots";
const run = Math.random().toString(36).slice(2, 8);
const alice = `alice-${run}`;
const bob = `bob-${run}`;
const carol = `carol-${run}`;
const direct = [alice, bob].sort().join(":");
const TIMEOUT = 20_000;

let browser;

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox"] });
});

after(async () => browser?.close());

async function signIn(user) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(URL_);
  return signInOn(context, page, user);
}

async function signInOn(context, page, user) {
  await page.fill("#user", user);
  await page.click("#sign-in button");
  await page.waitForSelector("#app:not([hidden])");
  await page.waitForSelector("#connection:has-text('online')");
  return { context, page };
}

/** The cursors the page's client keeps in IndexedDB. */
function stored(page, user) {
  return page.evaluate((name) => new Promise((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore("cursors");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const store = open.result.transaction("cursors").objectStore("cursors");
      const keys = store.getAllKeys();
      const values = store.getAll();
      values.onsuccess = () => {
        const cursors = Object.fromEntries(keys.result.map((k, i) => [k, values.result[i]]));
        open.result.close();
        resolve(cursors);
      };
    };
  }), `parley-${user}-web`);
}

async function send(page, text) {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
  await page.waitForSelector(`#messages li.mine:not(.pending):has-text("${text}")`);
}

test("friends chat with typing and read ticks; an offline friend catches up; a group of three chats", async () => {
  const a = await signIn(alice);
  let b = await signIn(bob);

  // A friend request, accepted, and a chat between the two.
  await a.page.fill("#friend-user", bob);
  await a.page.click("#add-friend button");
  await b.page.click(`#requests li:has-text("${alice}") button:has-text("Accept")`);
  await a.page.waitForSelector(`#friends li[data-user="${bob}"] .dot.online`);
  await a.page.click(`#friends li[data-user="${bob}"] button:has-text("Chat")`);
  await send(a.page, "hi bob");
  const badge = b.page.locator(`#conversations li[data-conversation="d:${direct}"] .badge`);
  await badge.waitFor();
  assert.equal(await badge.textContent(), "1");
  await b.page.click(`#conversations li[data-conversation="d:${direct}"]`);
  await b.page.waitForSelector('#messages li.theirs:has-text("hi bob")');
  await a.page.waitForSelector('#messages li.mine:has-text("hi bob") .ticks.read');
  await b.page.type("#text", "typing…");
  await a.page.waitForSelector(`#typing:has-text("${bob} is typing")`);
  await b.page.press("#text", "Enter");
  await a.page.waitForSelector('#messages li.theirs:has-text("typing…")');
  await a.page.screenshot({ path: `${SHOTS}/chat.png` });

  // Bob goes away; Alice writes, more than a page; Bob comes back and finds it, unread, and scrolls back.
  await b.context.close();
  await a.page.waitForSelector(`#friends li[data-user="${bob}"] .dot.offline`);
  for (let i = 1; i <= 30; i++) {
    await send(a.page, `while away ${i}`);
  }
  await send(a.page, "are you there?");
  b = await signIn(bob);
  const back = b.page.locator(`#conversations li[data-conversation="d:${direct}"]`);
  await back.locator(".badge").waitFor();
  assert.match(await back.textContent(), /are you there\?/);
  await back.click();
  await b.page.waitForSelector('#messages li.theirs:has-text("are you there?")');
  assert.equal(await b.page.locator('#messages li:has-text("hi bob")').count(), 0, "a page of the latest");
  await b.page.click("#earlier");
  await b.page.waitForSelector('#messages li:has-text("hi bob")');
  const seqs = await b.page.locator("#messages li").evaluateAll((rows) => rows.map((r) => Number(r.dataset.seq)));
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), "every seq from the first, once, in order");

  // Bob's cursors are in his browser's IndexedDB: the page loaded again has them before it signs in.
  const cursor = await stored(b.page, bob);
  assert.ok(cursor[`d:${direct}`] >= 1, JSON.stringify(cursor));
  await b.page.reload();
  assert.deepEqual(await stored(b.page, bob), cursor);
  b = await signInOn(b.context, b.page, bob);

  // A group of three: Bob, a friend, is added; Carol is invited and joins.
  const c = await signIn(carol);
  const group = `trio-${run}`;
  await a.page.fill("#group-id", group);
  await a.page.fill("#group-name", "Trio");
  await a.page.fill("#group-members", `${bob}, ${carol}`);
  await a.page.click("#new-group button");
  await c.page.click(`#invitations li:has-text("Trio") button:has-text("Join")`);
  await c.page.waitForSelector(`#conversations li[data-conversation="g:${group}"]`);
  await a.page.click(`#conversations li[data-conversation="g:${group}"]`);
  await send(a.page, "hello trio");
  for (const member of [b, c]) {
    await member.page.click(`#conversations li[data-conversation="g:${group}"]`);
    await member.page.waitForSelector('#messages li.theirs:has-text("hello trio")');
  }
  await send(c.page, "hi all");
  await b.page.waitForSelector('#messages li.theirs:has-text("hi all")');
  await c.page.screenshot({ path: `${SHOTS}/group.png` });
});
