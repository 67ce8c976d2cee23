/**
 * Image files on disk under the data directory. A file is written to a temporary name, flushed to disk
 * and renamed into place, so a crash leaves either the whole file or none of it; the database row that
 * points at it is written only after the rename.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export class BlobStore {
  constructor(private readonly root: string) {}

  async init(): Promise<void> {
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    // Anything left in tmp/ was cut off by a crash before it was renamed into place.
    await rm(join(this.root, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.root, 'tmp'), { recursive: true });
  }

  /** Stores `data` under `key` (a relative path such as `ses_x/img_y.jpg`) durably. */
  async put(key: string, data: Buffer): Promise<void> {
    const target = this.pathOf(key);
    const temporary = join(this.root, 'tmp', randomBytes(12).toString('hex'));
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Each step is a trip through libuv's thread pool, where it queues behind image decoding: the folder
    // (one per session) is made only the first time a rename finds it missing.
    try {
      await rename(temporary, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(join(target, '..'), { recursive: true });
      await rename(temporary, target);
    }
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }

  /** Every stored key with its age, for removing files whose database row never committed. */
  async list(): Promise<{ key: string; modifiedAt: number }[]> {
    const found: { key: string; modifiedAt: number }[] = [];
    for (const entry of await readdir(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'tmp') continue;
      for (const file of await readdir(join(this.root, entry.name))) {
        const key = `${entry.name}/${file}`;
        found.push({ key, modifiedAt: (await stat(this.pathOf(key))).mtimeMs });
      }
    }
    return found;
  }

  private pathOf(key: string): string {
    if (key.includes('..') || key.startsWith('/')) throw new Error(`invalid blob key ${key}`);
    return join(this.root, key);
  }
}
