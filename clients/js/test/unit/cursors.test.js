import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { MemoryCursors } from "../../dist/index.js";
import { FileCursors } from "../../dist/node.js";

for (const [name, make] of [
  ["in memory", async () => new MemoryCursors()],
  ["in a file", async () => new FileCursors(join(await mkdtemp(join(tmpdir(), "cursors-")), "a", "cursors.json"))],
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
