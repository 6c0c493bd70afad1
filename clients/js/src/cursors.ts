/** Where a device keeps the last seq it holds per conversation, so that catch-up after a restart asks for the rest. */
export interface CursorStore {
  load(): Promise<Record<string, number>>;
  save(cursors: Record<string, number>): Promise<void>;
}

/** Cursors for this process's life only: a restarted client catches up from the start. */
export class MemoryCursors implements CursorStore {
  private cursors: Record<string, number> = {};

  async load(): Promise<Record<string, number>> {
    return { ...this.cursors };
  }

  async save(cursors: Record<string, number>): Promise<void> {
    this.cursors = { ...cursors };
  }
}
