import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CursorStore } from "./cursors.js";

/** Cursors in a JSON file, replaced whole on each save, for bots and services that restart. */
export class FileCursors implements CursorStore {
  constructor(private readonly path: string) {}

  async load(): Promise<Record<string, number>> {
    try {
      return JSON.parse(await readFile(this.path, "utf8"));
    } catch (e: any) {
      if (e?.code === "ENOENT") {
        return {};
      }
      throw e;
    }
  }

  async save(cursors: Record<string, number>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const next = `${this.path}.next`;
    await writeFile(next, JSON.stringify(cursors));
    await rename(next, this.path);
  }
}
