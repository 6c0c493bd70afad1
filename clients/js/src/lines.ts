import type { Message } from "./frames.js";

/**
 * Each conversation's line of messages: the last seq shown (the cursor), and messages that came early, held until
 * the gap before them is filled. A message is released once, in seq order.
 */
export class Lines {
  private readonly cursors = new Map<string, number>();
  private readonly held = new Map<string, Map<number, Message>>();

  constructor(cursors: Record<string, number> = {}) {
    for (const [conversation, seq] of Object.entries(cursors)) {
      this.cursors.set(conversation, seq);
    }
  }

  cursor(conversationId: string): number {
    return this.cursors.get(conversationId) ?? 0;
  }

  all(): Record<string, number> {
    return Object.fromEntries(this.cursors);
  }

  /**
   * A live message: released with any held ones it makes contiguous, dropped if already shown, held if early.
   * @returns the messages to show, in order
   */
  live(m: Message): Message[] {
    const cursor = this.cursor(m.conversationId);
    if (m.serverSeq <= cursor) {
      return [];
    }
    if (m.serverSeq > cursor + 1) {
      this.holding(m.conversationId).set(m.serverSeq, m);
      return [];
    }
    return this.advance(m);
  }

  /**
   * Messages the server answered a history or catch-up with: everything it holds after the cursor, in seq order,
   * so a seq it skips does not exist (a sequencer restart may leave one) and is not waited for.
   */
  stored(conversationId: string, messages: Message[]): Message[] {
    const out: Message[] = [];
    for (const m of [...messages].sort((a, b) => a.serverSeq - b.serverSeq)) {
      if (m.serverSeq > this.cursor(conversationId)) {
        out.push(...this.advance(m));
      }
    }
    return out;
  }

  /**
   * After a complete answer with nothing more to give: what is still held follows the cursor with no gap the
   * server knows of, so it is released.
   */
  settle(conversationId: string): Message[] {
    const held = this.held.get(conversationId);
    if (!held || held.size === 0) {
      return [];
    }
    const out: Message[] = [];
    for (const seq of [...held.keys()].sort((a, b) => a - b)) {
      const m = held.get(seq)!;
      held.delete(seq);
      if (seq > this.cursor(conversationId)) {
        this.cursors.set(conversationId, seq);
        out.push(m);
      }
    }
    return out;
  }

  /** Whether the conversation has messages held behind a gap. */
  gap(conversationId: string): boolean {
    return (this.held.get(conversationId)?.size ?? 0) > 0;
  }

  /** The conversations with messages held behind a gap. */
  gaps(): string[] {
    return [...this.held.entries()].filter(([, h]) => h.size > 0).map(([c]) => c);
  }

  private advance(m: Message): Message[] {
    const conversation = m.conversationId;
    const out = [m];
    this.cursors.set(conversation, m.serverSeq);
    const held = this.held.get(conversation);
    if (held) {
      held.delete(m.serverSeq);
      for (const seq of [...held.keys()]) {
        if (seq <= m.serverSeq) {
          held.delete(seq);
        }
      }
      let next = held.get(m.serverSeq + 1);
      while (next) {
        held.delete(next.serverSeq);
        this.cursors.set(conversation, next.serverSeq);
        out.push(next);
        next = held.get(next.serverSeq + 1);
      }
    }
    return out;
  }

  private holding(conversationId: string): Map<number, Message> {
    let held = this.held.get(conversationId);
    if (!held) {
      held = new Map();
      this.held.set(conversationId, held);
    }
    return held;
  }
}
