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

/**
 * Cursors in the browser's IndexedDB, in a database of their own (name it per user and device), so that a page
 * loaded again catches up from where it was instead of from the start.
 */
export class IndexedDbCursors implements CursorStore {
  private db?: Promise<IDBDatabase>;

  constructor(
    private readonly name: string,
    private readonly factory: IDBFactory = globalThis.indexedDB,
  ) {}

  async load(): Promise<Record<string, number>> {
    const store = (await this.open()).transaction("cursors", "readonly").objectStore("cursors");
    const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
    const cursors: Record<string, number> = {};
    keys.forEach((key, i) => (cursors[String(key)] = values[i]));
    return cursors;
  }

  async save(cursors: Record<string, number>): Promise<void> {
    const tx = (await this.open()).transaction("cursors", "readwrite");
    const store = tx.objectStore("cursors");
    store.clear();
    for (const [conversationId, seq] of Object.entries(cursors)) {
      store.put(seq, conversationId);
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = this.factory.open(this.name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore("cursors");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return this.db;
  }
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
