/** Writes a packed dataset into a temporary sibling folder and moves it into place only when complete. */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { WorkbenchError } from '../../common/errors';
import { fsyncDir, fsyncTree } from '../durable-files';
import { IMAGES_FILE } from './packed-format';

export const PARTIAL_MARKER = '.partial-';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Data reaches the disk before the rename publishes it, so a crash never leaves a short dataset. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class PackedWriter {
  private streamError: unknown = null;
  private imagesClosed = false;

  private constructor(
    readonly destDir: string,
    readonly tempDir: string,
    private readonly images: WriteStream,
  ) {
    images.on('error', (error) => {
      this.streamError ??= error;
    });
  }

  static async create(destDir: string): Promise<PackedWriter> {
    if (await exists(destDir)) {
      throw new WorkbenchError('IMPORT_FAILED', `destination already exists: ${destDir}`, { path: destDir });
    }
    await mkdir(dirname(destDir), { recursive: true });
    // A sibling, so the final rename stays on one file system and is atomic.
    const tempDir = await mkdtemp(`${destDir}${PARTIAL_MARKER}`);
    return new PackedWriter(destDir, tempDir, createWriteStream(join(tempDir, IMAGES_FILE)));
  }

  /** Waits for the stream to drain when its buffer is full, which bounds memory. */
  async appendImage(pixels: Uint8Array): Promise<void> {
    if (this.streamError) throw this.streamError;
    if (!this.images.write(pixels)) await once(this.images, 'drain');
  }

  async finishImages(): Promise<void> {
    if (this.streamError) throw this.streamError;
    this.images.end();
    await finished(this.images);
    this.imagesClosed = true;
    await syncFile(join(this.tempDir, IMAGES_FILE));
  }

  async writeFile(relPath: string, data: Uint8Array | string): Promise<void> {
    const path = join(this.tempDir, relPath);
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Absolute path for a file another writer (sharp) will create, with its folder made. */
  async prepareFile(relPath: string): Promise<string> {
    const path = join(this.tempDir, relPath);
    await mkdir(dirname(path), { recursive: true });
    return path;
  }

  async commit(): Promise<void> {
    if (await exists(this.destDir)) {
      throw new WorkbenchError('IMPORT_FAILED', `destination already exists: ${this.destDir}`, { path: this.destDir });
    }
    // Thumbnails and the preview come from sharp: they reach the disk before the rename publishes them, and so does the rename.
    fsyncTree(this.tempDir);
    await rename(this.tempDir, this.destDir);
    fsyncDir(dirname(this.destDir));
  }

  /** Safe to call in any state; never throws, so it cannot mask the error that caused it. */
  async discard(): Promise<void> {
    if (!this.imagesClosed) {
      this.images.destroy();
      await finished(this.images).catch(() => {});
    }
    await rm(this.tempDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => {});
  }
}
