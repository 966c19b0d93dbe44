/** A full disk is a reason to pause, whoever reports it: Node's errno codes, or sharp (libvips) writing a sample PNG, which says it only in its message. */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { diskFullReason } from '../../../src-main/core/disk-space';

describe('diskFullReason', () => {
  it('reads ENOSPC and EDQUOT codes, and libvips’s “No space left on device” message, as DISK_FULL at the step', () => {
    const enospc = Object.assign(new Error('write failed'), { code: 'ENOSPC' });
    expect(diskFullReason(enospc, 7)).toMatchObject({ code: 'DISK_FULL', step: 7, message: expect.stringContaining('(ENOSPC)') });
    expect(diskFullReason(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toMatchObject({ code: 'DISK_FULL' });
    const vips = new Error('/data/runs/run_x/samples/15.png.tmp: write error\nsystem error: No space left on device');
    expect(diskFullReason(vips, 15)).toMatchObject({ code: 'DISK_FULL', step: 15 });
    expect(diskFullReason(new Error('x.png: write error\nsystem error: Disk quota exceeded'))).toMatchObject({ code: 'DISK_FULL', message: expect.stringContaining('EDQUOT') });
  });

  it('leaves every other failure alone', async () => {
    expect(diskFullReason(Object.assign(new Error('denied'), { code: 'EACCES' }))).toBeNull();
    expect(diskFullReason(new Error('Input buffer contains unsupported image format'))).toBeNull();
    expect(diskFullReason('No space left on device')).toBeNull();
    const sharpError = await sharp(Buffer.from('not an image')).png().toBuffer().catch((e: unknown) => e);
    expect(diskFullReason(sharpError)).toBeNull();
  });
});
