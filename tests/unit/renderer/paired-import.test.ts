/** The import dialog's paired choices: the layouts they send and scan with, and two chosen folders re-rooted as A/ and B/ of one upload. */
import { describe, expect, it } from 'vitest';
import { pairedLayoutOf, pairedUploadItems, scanLayoutOf } from '../../../src-renderer/lib/paired-import';

function item(path: string) {
  return { path, file: new File([new Uint8Array(1)], path.split('/').pop()!) };
}

describe('paired imports in the dialog', () => {
  it('maps each choice to its paired layout and to the layout its scan counts with', () => {
    expect(pairedLayoutOf('images')).toBeNull();
    expect(pairedLayoutOf('paired-folders')).toBe('folders');
    expect(pairedLayoutOf('paired-side-by-side')).toBe('side-by-side');
    expect(scanLayoutOf('images', 'flat')).toBe('flat');
    // A/ and B/ show as the two subfolders; side-by-side images have none.
    expect(scanLayoutOf('paired-folders', 'flat')).toBe('classes');
    expect(scanLayoutOf('paired-side-by-side', 'classes')).toBe('flat');
  });

  it('uploads the inputs’ folder as A/ and the targets’ as B/, whatever they are called, keeping subfolders', () => {
    const items = pairedUploadItems([item('trainA/x/1.jpg'), item('trainA/2.jpg')], [item('labels/x/1.png'), item('loose.png')]);
    expect(items.map((i) => i.path)).toEqual(['A/x/1.jpg', 'A/2.jpg', 'B/x/1.png', 'B/loose.png']);
    expect(items[0]!.file.name).toBe('1.jpg');
  });
});
