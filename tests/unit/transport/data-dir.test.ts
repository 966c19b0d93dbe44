/** Path confinement: every file served to a page must resolve inside the data directory. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDir } from '../../../src-main/core/data-dir';
import { tempDir } from '../../fixtures/workbench';

describe('DataDir.resolveInside', () => {
  const root = tempDir('confine');
  const dataDir = new DataDir(root);
  mkdirSync(join(root, 'runs', 'r1', 'samples'), { recursive: true });
  writeFileSync(join(root, 'runs', 'r1', 'samples', '10.png'), 'x');
  const outside = tempDir('outside');
  writeFileSync(join(outside, 'secret.png'), 'secret');
  symlinkSync(outside, join(root, 'runs', 'escape'));

  it('resolves a file inside', () => {
    expect(dataDir.resolveInside('runs/r1/samples/10.png')).toBe(join(dataDir.root, 'runs', 'r1', 'samples', '10.png'));
  });

  it.each(['../outside.png', '/etc/passwd', 'runs/../../x.png', 'runs/r1/\0.png', ''])('refuses %j', (p) => {
    expect(() => dataDir.resolveInside(p)).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_DATA_DIR' }));
  });

  it('refuses a symlink that leads outside', () => {
    expect(() => dataDir.resolveInside('runs/escape/secret.png')).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_DATA_DIR' }));
  });

  it('says NOT_FOUND for a missing file inside', () => {
    expect(() => dataDir.resolveInside('runs/r1/samples/11.png')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
