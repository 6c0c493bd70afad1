import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { IDBFactory } from "fake-indexeddb";
import { IndexedDbCursors, MemoryCursors } from "../../dist/index.js";
import { FileCursors } from "../../dist/node.js";

for (const [name, make] of [
  ["in memory", async () => new MemoryCursors()],
  ["in a file", async () => new FileCursors(join(await mkdtemp(join(tmpdir(), "cursors-")), "a", "cursors.json"))],
  // The browser's own IndexedDB runs this store in the web chat's browser test; here, an in-memory IndexedDB.
  ["in IndexedDB", async () => new IndexedDbCursors("cursors", new IDBFactory())],
]) {
  test(`cursors ${name}: none at first, then what was saved last`, async () => {
    const store = await make();
    assert.deepEqual(await store.load(), {});
    await store.save({ "d:a:b": 3 });
    await store.save({ "d:a:b": 5, "g:crew": 1 });
    assert.deepEqual(await store.load(), { "d:a:b": 5, "g:crew": 1 });
  });
}

test("a file store read by a new process finds the cursors", async () => {
  const path = join(await mkdtemp(join(tmpdir(), "cursors-")), "cursors.json");
  await new FileCursors(path).save({ "g:crew": 42 });
  assert.deepEqual(await new FileCursors(path).load(), { "g:crew": 42 });
});

test("an IndexedDB store opened again, as a page loaded again opens it, finds the cursors", async () => {
  const factory = new IDBFactory();
  await new IndexedDbCursors("parley-ann-web", factory).save({ "d:ann:ben": 7 });
  assert.deepEqual(await new IndexedDbCursors("parley-ann-web", factory).load(), { "d:ann:ben": 7 });
  assert.deepEqual(await new IndexedDbCursors("parley-ben-web", factory).load(), {}, "another user's are apart");
});
