export { ParleyClient, ParleyError } from "./client.js";
export type { ClientEvents, ClientOptions, WebSocketConstructor, WebSocketLike } from "./client.js";
export { IndexedDbCursors, MemoryCursors } from "./cursors.js";
export type { CursorStore } from "./cursors.js";
export { Backoff, resendMs } from "./backoff.js";
export { Lines } from "./lines.js";
export type * from "./frames.js";
