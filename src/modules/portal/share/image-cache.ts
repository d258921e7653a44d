/**
 * Rendered share images, kept so each is drawn once per version: in memory (least recently used
 * first out) and, when the data folder is on disk, under `<data>/share-images/<name>/<version>.png`
 * so a restart does not redraw them all. The version is a digest of everything the picture shows
 * plus the article's `updated_at`, so a correction (or a renamed unit) draws it anew; drawing a new
 * version removes the old one from memory and disk. Concurrent requests for one missing image wait
 * for a single drawing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ShareImageCacheOptions {
  /** Folder for the files; null keeps images in memory only (a throw-away database). */
  dir: string | null;
  /** Images kept in memory (about 50–100 KB each). */
  maxEntries?: number;
}

export interface CachedImage {
  png: Buffer;
  /** The version: a strong ETag without its quotes. */
  version: string;
}

/** A version string for the inputs of one picture. */
export function imageVersion(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

const SAFE_NAME = /^[a-z0-9_][a-z0-9-]{0,150}$/;

export class ShareImageCache {
  readonly dir: string | null;
  readonly maxEntries: number;
  /** name → the version held in memory and its picture; Map order is recency (oldest first). */
  private readonly memory = new Map<string, CachedImage>();
  private readonly drawing = new Map<string, Promise<CachedImage>>();
  readonly stats = { memoryHits: 0, diskHits: 0, renders: 0 };

  constructor({ dir, maxEntries = 300 }: ShareImageCacheOptions) {
    this.dir = dir;
    this.maxEntries = maxEntries;
  }

  /** The picture `name` at `version`, drawn by `render` only when neither memory nor disk has it. */
  async get(name: string, version: string, render: () => Promise<Buffer>): Promise<CachedImage> {
    const held = this.memory.get(name);
    if (held?.version === version) {
      this.memory.delete(name);
      this.memory.set(name, held);
      this.stats.memoryHits += 1;
      return held;
    }
    const key = `${name}\n${version}`;
    let pending = this.drawing.get(key);
    if (!pending) {
      pending = this.load(name, version, render).finally(() => this.drawing.delete(key));
      this.drawing.set(key, pending);
    }
    return pending;
  }

  private async load(name: string, version: string, render: () => Promise<Buffer>): Promise<CachedImage> {
    const folder = this.dir === null ? null : path.join(this.dir, SAFE_NAME.test(name) ? name : createHash('sha256').update(name).digest('hex'));
    const file = folder === null ? null : path.join(folder, `${version}.png`);
    const stored: Buffer | null = file === null ? null : await readFile(file).catch(() => null);
    let png: Buffer;
    if (stored) {
      png = stored;
      this.stats.diskHits += 1;
    } else {
      png = await render();
      this.stats.renders += 1;
      if (folder !== null && file !== null) await this.store(folder, file, png);
    }
    const image = { png, version };
    this.remember(name, image);
    return image;
  }

  /** Writes the new file whole (temp name, then rename) and removes older versions beside it. */
  private async store(folder: string, file: string, png: Buffer): Promise<void> {
    try {
      await mkdir(folder, { recursive: true });
      const partial = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(partial, png);
      await rename(partial, file);
      const keep = path.basename(file);
      for (const other of await readdir(folder)) {
        if (other !== keep && !other.endsWith('.tmp')) await rm(path.join(folder, other), { force: true });
      }
    } catch {
      // A full or read-only disk only costs a redraw later; the picture is still served from memory.
    }
  }

  private remember(name: string, image: CachedImage): void {
    this.memory.delete(name);
    this.memory.set(name, image);
    while (this.memory.size > this.maxEntries) {
      const oldest = this.memory.keys().next().value as string;
      this.memory.delete(oldest);
    }
  }
}
