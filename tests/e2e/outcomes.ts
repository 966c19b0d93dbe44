/** What a UI flow left behind, read the way a later session would: the served data directory's SQLite (read-only) and files, and the pictures' pixels. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';
import { cellsInExtent, untileGrid } from '../../src-main/common/grid-layout';

/** One query on the data directory's database, opened read-only (the server stays its only writer) and closed again. */
export function query<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, 'workbench.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** The row of `table` with this id, or undefined. */
export function rowById<T = Record<string, unknown>>(dataDir: string, table: 'datasets' | 'runs', id: string): T | undefined {
  return query<T>(dataDir, `SELECT * FROM ${table} WHERE id = ?`, id)[0];
}

/** Rows of a per-run table (metrics, samples, checkpoints, events) for one run. */
export function countFor(dataDir: string, table: 'metrics' | 'samples' | 'checkpoints' | 'events' | 'metric_rollups', runId: string): number {
  return query<{ n: number }>(dataDir, `SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`, runId)[0]!.n;
}

/**
 * At or below this mean per-cell standard deviation (0–255 scale) a trained run's grid counts as blank.
 * Measured on the e2e runs (tiny DCGAN, MNIST, batch 16): ≈1.5 at step 0 (the untrained generator is
 * nearly flat), ≈10 after 10 steps, ≈45 after 30–40. The grid's grey borders are left out, or a grid of
 * flat cells would pass on them alone.
 */
export const BLANK_STDEV = 8;

/** The mean over the cells of a tiled PNG (borders left out) of each cell's pixel standard deviation. */
export async function cellStdev(file: string, cellSize: number): Promise<number> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const rows = cellsInExtent(info.height, cellSize);
  const cols = cellsInExtent(info.width, cellSize);
  const cells = untileGrid({ width: info.width, pixels: data }, { rows, cols, cellSize, channels: info.channels });
  const per = cellSize * cellSize * info.channels;
  let sum = 0;
  for (let k = 0; k < rows * cols; k++) {
    const cell = cells.subarray(k * per, (k + 1) * per);
    const mean = cell.reduce((a, v) => a + v, 0) / per;
    sum += Math.sqrt(cell.reduce((a, v) => a + (v - mean) ** 2, 0) / per);
  }
  return sum / (rows * cols);
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * The <img> shows exactly the file `relPath` of the data directory: its URL names that file, it has
 * loaded, and the bytes the browser got are the file's (not another run's or step's picture).
 */
export async function shownFile(img: Locator, dataDir: string, relPath: string): Promise<{ width: number; height: number }> {
  const src = (await img.getAttribute('src')) ?? '';
  expect(decodeURIComponent(new URL(src).pathname)).toBe(`/files/${relPath}`);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  const served = await img.evaluate(async (el: HTMLImageElement) => Array.from(new Uint8Array(await (await fetch(el.src)).arrayBuffer())));
  expect(sha(Uint8Array.from(served))).toBe(sha(readFileSync(join(dataDir, relPath))));
  const [width, height] = await img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight]);
  return { width: width!, height: height! };
}
