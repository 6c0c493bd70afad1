import assert from "node:assert/strict";
import { test } from "node:test";
import { Backoff, resendMs } from "../../dist/index.js";

test("delays are jittered up to a doubling ceiling, capped, and start over after a success", () => {
  const top = new Backoff(100, 1000, () => 0.999999);
  assert.deepEqual([top.next(), top.next(), top.next(), top.next(), top.next()], [99, 199, 399, 799, 999]);
  top.reset();
  assert.equal(top.next(), 99);
  const bottom = new Backoff(100, 1000, () => 0);
  assert.equal(bottom.next(), 0, "full jitter reaches down to zero");
});

test("a message goes again after a wait that doubles each time, at most the cap", () => {
  assert.deepEqual([resendMs(1, 1000, 60000), resendMs(2, 1000, 60000), resendMs(3, 1000, 60000)], [1000, 2000, 4000]);
  assert.equal(resendMs(5, 5000, 60000), 60000);
  assert.equal(resendMs(100, 1000, 60000), 60000);
});
