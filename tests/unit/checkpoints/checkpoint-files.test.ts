/** Checkpoint folders on a real disk: what is written is read back exactly, and damage is named, never loaded. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { DamagedCheckpoint, verifyCheckpointSync } from '../../../src-main/core/checkpoints/checkpoint-format';
import { writeFileAtomic } from '../../../src-main/core/durable-files';
import { readCheckpoint, writeCheckpoint } from '../../../src-main/utility/checkpoint-files';
import { fakeState, flipByte, tear, truncateTo, writeFormat1Checkpoint } from '../../fixtures/checkpoints';
import { tempDir } from '../../fixtures/workbench';

async function damageOf(dir: string): Promise<string> {
  const error = await readCheckpoint(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DamagedCheckpoint);
  return (error as DamagedCheckpoint).problem;
}

describe('checkpoint files', () => {
  it('reads back every tensor exactly, with the blob length and sha256 recorded in state.json, and no loss metric', async () => {
    const dir = tempDir('ckpt');
    // 8 MB: far more than one small write, so the whole blob must reach the file.
    const state = fakeState(3, 2_000_000);
    const written = writeCheckpoint(dir, 40, state);
    expect(written).toBe(join(dir, '40'));
    expect(readdirSync(dir)).toEqual(['40']);
    const head = JSON.parse(readFileSync(join(written, 'state.json'), 'utf8')) as { step: number; metric: unknown; blob: { bytes: number; sha256: string } };
    const blob = readFileSync(join(written, 'tensors.bin'));
    expect(head).toMatchObject({ format: 2, step: 40, blob: { bytes: blob.byteLength, sha256: createHash('sha256').update(blob).digest('hex') } });
    // The best checkpoint is chosen by KID from the store, never by a loss recorded here.
    expect(head).not.toHaveProperty('metric');
    expect(blob.byteLength).toBe((2_000_000 + 16 + 1) * 4);

    const back = await readCheckpoint(written);
    expect(back.meta).toEqual(state.meta);
    expect(back.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual(state.tensors.map((t) => [t.name, t.dtype, t.shape]));
    back.tensors.forEach((t, i) => expect(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).equals(Buffer.from(state.tensors[i]!.data.buffer))).toBe(true));
  });

  it('refuses a truncated tensors.bin, naming both lengths', async () => {
    const dir = writeCheckpoint(tempDir('ckpt'), 10, fakeState(1));
    const whole = readFileSync(join(dir, 'tensors.bin')).byteLength;
    truncateTo(join(dir, 'tensors.bin'), 0.5);
    const problem = await damageOf(dir);
    expect(problem).toBe(`tensors.bin has ${Math.floor(whole / 2)} bytes, state.json records ${whole} (truncated)`);
    // The cheap start-up check sees it too: a length is enough.
    expect(() => verifyCheckpointSync(dir, 'structure', 10)).toThrow(/truncated/);
  });

  it('refuses a blob with one flipped byte by its checksum; only the checksum check can see it', async () => {
    const dir = writeCheckpoint(tempDir('ckpt'), 10, fakeState(1));
    flipByte(join(dir, 'tensors.bin'));
    expect(await damageOf(dir)).toMatch(/^tensors\.bin checksum mismatch \(sha256 recorded [0-9a-f]{12}…, found [0-9a-f]{12}…\)$/);
    expect(() => verifyCheckpointSync(dir, 'checksum', 10)).toThrow(/checksum mismatch/);
    expect(verifyCheckpointSync(dir, 'structure', 10).step).toBe(10);
  });

  it('refuses a torn state.json, a missing blob, and a folder whose name is not its recorded step', async () => {
    const root = tempDir('ckpt');
    const torn = writeCheckpoint(root, 10, fakeState(1));
    tear(join(torn, 'state.json'));
    expect(await damageOf(torn)).toMatch(/^state\.json is not valid JSON \(\d+ bytes; torn write\?\)$/);

    const noBlob = writeCheckpoint(root, 20, fakeState(2));
    rmSync(join(noBlob, 'tensors.bin'));
    expect(await damageOf(noBlob)).toBe('tensors.bin cannot be read (ENOENT)');
    expect(() => verifyCheckpointSync(noBlob, 'structure', 20)).toThrow('tensors.bin cannot be read (ENOENT)');

    writeCheckpoint(root, 30, fakeState(3));
    expect(() => verifyCheckpointSync(join(root, '30'), 'structure', 31)).toThrow('state.json records step 30, not 31');
  });

  it('still reads a format 2 head that records the loss metric checkpoints carried before issue 12', async () => {
    const dir = writeCheckpoint(tempDir('ckpt'), 10, fakeState(1));
    const head = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ ...head, metric: { key: 'g_loss', value: 0.75 } }));
    expect(verifyCheckpointSync(dir, 'checksum', 10).step).toBe(10);
    expect((await readCheckpoint(dir)).meta).toEqual(fakeState(1).meta);
  });

  it('still reads format 1 checkpoints (no checksum then), checking their length against the tensor index', async () => {
    const root = tempDir('ckpt');
    const state = fakeState(5);
    writeFormat1Checkpoint(root, 10, state);
    const back = await readCheckpoint(join(root, '10'));
    expect(Array.from(back.tensors[1]!.data)).toEqual(Array.from(state.tensors[1]!.data));
    truncateTo(join(root, '10', 'tensors.bin'), 0.9);
    expect(await damageOf(join(root, '10'))).toMatch(/truncated/);
  });

  it('replaces a small state file atomically and leaves no temporary file behind', () => {
    const dir = tempDir('atomic');
    const file = join(dir, 'best.json');
    writeFileAtomic(file, JSON.stringify({ step: 10, value: 1 }));
    writeFileAtomic(file, JSON.stringify({ step: 20, value: 0.5 }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ step: 20, value: 0.5 });
    expect(readdirSync(dir)).toEqual(['best.json']);
    // A write that fails at the rename (a folder holds the name) leaves no temporary file and the folder as it was.
    mkdirSync(join(dir, 'config.json'));
    writeFileSync(join(dir, 'config.json', 'keep'), 'x');
    expect(() => writeFileAtomic(join(dir, 'config.json'), '{}')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir).sort()).toEqual(['best.json', 'config.json']);
    expect(readdirSync(join(dir, 'config.json'))).toEqual(['keep']);
  });
});
