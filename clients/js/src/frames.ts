/**
 * The frames of Parley's protocol (docs/protocol.md), as the client sees them. Downstream frames are checked by the
 * server against frames.schema.json (a product function's, such as typing, against its own NAME.frame.schema.json);
 * these types follow them.
 */

/** A device of a user. */
export interface DeviceRef {
  userId: string;
  deviceId: string;
}

/** `text`, `image`, `file`, `custom`; `edit` and `recall` amend the message at `refersTo`. */
export type ContentType = "text" | "image" | "file" | "custom" | "edit" | "recall";

/** A message in a conversation, as stored: its `serverSeq` orders it in the conversation. */
export interface Message {
  conversationId: string;
  clientMsgId: string;
  serverSeq: number;
  sender: DeviceRef;
  contentType: ContentType;
  content: string;
  sentAt: string;
  refersTo?: number;
  edited?: boolean;
  recalled?: boolean;
}

/** The server stored a message of yours. */
export interface Ack {
  clientMsgId: string;
  conversationId: string;
  serverSeq: number;
}

/** A frame refused, or a request refused after it was taken. */
export interface ErrorFrame {
  code: string;
  reason: string;
  clientMsgId?: string;
  conversationId?: string;
  groupId?: string;
  userId?: string;
}

/** A member's delivered or read watermark moved. */
export interface Receipt {
  conversationId: string;
  userId: string;
  kind: "delivered" | "read";
  seq: number;
}

/** In a large group: the read watermarks that moved in the last window. */
export interface Receipts {
  conversationId: string;
  kind: "read";
  readers: { userId: string; seq: number }[];
}

export interface Typing {
  conversationId: string;
  userId: string;
  state: "started" | "stopped";
  expiresInMs: number;
}

export interface Presence {
  userId: string;
  state: "online" | "away" | "offline";
  since?: string;
}

export interface FriendChange {
  change: "requested" | "accepted" | "declined" | "cancelled" | "removed" | "blocked" | "unblocked";
  userId: string;
  actor: string;
  message?: string;
}

export interface GroupChange {
  groupId: string;
  change: "created" | "joined" | "invited" | "left" | "removed" | "role-changed";
  actor: string;
  members?: { userId: string; role: "owner" | "admin" | "member" }[];
  memberCount?: number;
  version: number;
}

export interface Invitation {
  change: "invited" | "declined";
  groupId: string;
  name?: string;
  actor: string;
}

export interface ConversationSummary {
  conversationId: string;
  lastSeq: number;
  readSeq: number;
  deliveredSeq?: number;
  unread: number;
  lastMessage?: Message;
}

export interface FriendEntry {
  userId: string;
  relation: "friend" | "incoming" | "outgoing" | "blocked";
  since?: string;
  message?: string;
}

/** The answer to a `sync` request. */
export interface SyncAnswer {
  requestId: string;
  hasMore: boolean;
  messages?: Message[];
  conversations?: ConversationSummary[];
  members?: { userId: string; role: "owner" | "admin" | "member" }[];
  readers?: string[];
  friends?: FriendEntry[];
  invitations?: { groupId: string; name?: string; actor: string; since?: string }[];
}

/** Any frame: `t` names it, `d` is its data. */
export interface Frame {
  v: 1;
  t: string;
  id?: string;
  d?: any;
}
