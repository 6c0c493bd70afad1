import assert from "node:assert/strict";
import { test } from "node:test";
import { Lines } from "../../dist/index.js";
import { msg } from "./fake-socket.js";

const seqs = (ms) => ms.map((m) => m.serverSeq);

test("messages are released once and in order; early ones wait for the gap", () => {
  const lines = new Lines({ "d:a:b": 2 });
  assert.deepEqual(seqs(lines.live(msg("d:a:b", 3))), [3]);
  assert.deepEqual(seqs(lines.live(msg("d:a:b", 3))), [], "a duplicate");
  assert.deepEqual(seqs(lines.live(msg("d:a:b", 6))), [], "held behind 4 and 5");
  assert.deepEqual(seqs(lines.live(msg("d:a:b", 5))), []);
  assert.deepEqual(lines.gaps(), ["d:a:b"]);
  assert.deepEqual(seqs(lines.live(msg("d:a:b", 4))), [4, 5, 6]);
  assert.deepEqual(lines.gaps(), []);
  assert.equal(lines.cursor("d:a:b"), 6);
  assert.deepEqual(seqs(lines.live(msg("d:a:c", 1))), [1], "a new conversation starts at 0");
});

test("a history answer fills the gap, and a seq the server never had is not waited for", () => {
  const lines = new Lines();
  lines.live(msg("g:crew", 1));
  lines.live(msg("g:crew", 5));
  assert.deepEqual(seqs(lines.stored("g:crew", [msg("g:crew", 3), msg("g:crew", 2)])), [2, 3]);
  assert.deepEqual(lines.gaps(), ["g:crew"], "4 is still missing");
  assert.deepEqual(seqs(lines.settle("g:crew")), [5], "the server has nothing between: 4 does not exist");
  assert.equal(lines.cursor("g:crew"), 5);
  assert.deepEqual(seqs(lines.stored("g:crew", [msg("g:crew", 5), msg("g:crew", 6)])), [6], "5 was shown already");
});
