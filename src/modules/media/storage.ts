/**
 * Where uploaded media files live. `MediaStorage` is deliberately tiny (put, read, stat, remove) so
 * that an S3-compatible object store can implement it later without touching the rest of the
 * module; the local-disk store below is the default.
 *
 * Keys are generated here, never taken from a client: `<yyyy>/<mm>/<uuid>[-variant].<ext>`. They are
 * unguessable (random UUID), and every key is checked against one strict pattern before it touches
 * the file system, so a public URL cannot walk out of the media folder.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../../config/config.ts';

export interface ByteRange {
  /** Inclusive, like HTTP's Range header. */
  start: number;
  end: number;
}

export interface MediaStorage {
  /** Stores the whole file under the key; readers never see a half-written file. */
  put(key: string, data: Buffer): Promise<void>;
  /** The file's bytes (or a range of them); fails if the key does not exist. */
  read(key: string, range?: ByteRange): Readable;
  /** The file's size, or null when there is no such file. */
  stat(key: string): Promise<{ bytes: number } | null>;
  exists(key: string): Promise<boolean>;
  /** Removes the file; a missing file is not an error. */
  remove(key: string): Promise<void>;
}

export const mediaVariants = ['thumb', 'instagram', 'web'] as const;
export type MediaVariant = (typeof mediaVariants)[number];

/** The file types Siar stores, by the extension it gives them; also the served Content-Type. */
export const mimeByExtension = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
} as const;
export type MediaExtension = keyof typeof mimeByExtension;

const KEY = /^(\d{4})\/(0[1-9]|1[0-2])\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-(thumb|instagram|web))?\.(jpg|png|webp|gif|mp4|mov|webm)$/;

export function isMediaKey(key: string): boolean {
  return key.length <= 80 && KEY.test(key);
}

/** The Content-Type of a stored file, from the extension Siar gave it after sniffing its content. */
export function mimeOfKey(key: string): string | null {
  const match = KEY.exec(key);
  return match ? mimeByExtension[match[4] as MediaExtension] : null;
}

/** A fresh key for a new upload; its variants share the stem. */
export function newMediaStem(now = new Date()): string {
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${now.getUTCFullYear()}/${month}/${randomUUID()}`;
}

export function mediaKey(stem: string, ext: MediaExtension, variant?: MediaVariant): string {
  const key = `${stem}${variant ? `-${variant}` : ''}.${ext}`;
  if (!isMediaKey(key)) throw new Error(`invalid media key ${key}`);
  return key;
}

function assertKey(key: string): void {
  if (!isMediaKey(key)) throw new Error('invalid media key');
}

/** Files under a root folder. Writes go to `<root>/.tmp/` first and are renamed into place. */
export function localDiskStorage(root: string): MediaStorage {
  const base = path.resolve(root);
  const tmp = path.join(base, '.tmp');
  const fileOf = (key: string): string => {
    assertKey(key);
    const file = path.resolve(base, key);
    // Belt and braces: the pattern already excludes `..`, absolute paths and separators.
    if (!file.startsWith(base + path.sep)) throw new Error('invalid media key');
    return file;
  };

  const sizeOf = async (key: string): Promise<{ bytes: number } | null> => {
    try {
      const info = await stat(fileOf(key));
      return info.isFile() ? { bytes: info.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };

  return {
    async put(key, data) {
      const file = fileOf(key);
      await mkdir(tmp, { recursive: true });
      await mkdir(path.dirname(file), { recursive: true });
      const partial = path.join(tmp, `${randomUUID()}.part`);
      try {
        const handle = await open(partial, 'wx', 0o640);
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(partial, file);
      } catch (error) {
        await unlink(partial).catch(() => undefined);
        throw error;
      }
    },
    read(key, range) {
      return createReadStream(fileOf(key), range ? { start: range.start, end: range.end } : {});
    },
    stat: sizeOf,
    async exists(key) {
      return (await sizeOf(key)) !== null;
    },
    async remove(key) {
      await rm(fileOf(key), { force: true });
    },
  };
}

const roots = new WeakMap<Config, string>();

/**
 * The media folder: `mediaDir` when set, else `<dataDir>/media`. With an in-memory database
 * (tests) it is a fresh folder under the system temp folder, the same one for every caller
 * holding the same config.
 */
export function mediaRoot(config: Config): string {
  if (config.mediaDir) return path.resolve(config.mediaDir);
  if (!config.dataDir.startsWith('memory://')) return path.join(config.dataDir, 'media');
  let root = roots.get(config);
  if (!root) {
    root = mkdtempSync(path.join(tmpdir(), 'siar-media-'));
    roots.set(config, root);
  }
  return root;
}

/** Whether the media folder is a throw-away one (removed when the server closes). */
export function isTemporaryMediaRoot(config: Config): boolean {
  return !config.mediaDir && config.dataDir.startsWith('memory://');
}

const stores = new WeakMap<Config, MediaStorage>();

/** The storage the running process uses (one per config, shared by the API and the public route). */
export function mediaStorageFor(config: Config): MediaStorage {
  let store = stores.get(config);
  if (!store) {
    store = localDiskStorage(mediaRoot(config));
    stores.set(config, store);
  }
  return store;
}
