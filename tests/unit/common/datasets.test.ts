/** The dataset API's shapes: import options and sources a request must meet, the size limit on image files, and scans, details, progress and previews that pass the router unchanged. */
import { describe, expect, it } from 'vitest';
import { methods } from '../../../src-main/common/contract';
import {
  AugmentPreview,
  AugmentPreviewRequest,
  BackgroundColor,
  DatasetDetails,
  ImportFit,
  ImportId,
  ImportLayout,
  ImportPhase,
  ImportProgressEvent,
  ImportSource,
  ScanResult,
  UploadSession,
} from '../../../src-main/common/datasets';
import type { Dataset } from '../../../src-main/common/domain';
import { accepts, refusal } from '../../fixtures/schema-refusal';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import { REJECT } from '../../../src-main/core/datasets/reject-reasons';
import datasetsEn from '../../../src-renderer/i18n/datasets.en';
import datasetsZhCN from '../../../src-renderer/i18n/datasets.zh-CN';
import { sourceLabel } from '../../../src-renderer/lib/dataset-source';
import { newUploadSession } from '../../../src-renderer/lib/folder-upload';

const dataset: Dataset = {
  id: 'ds-0001',
  name: 'cats',
  sourcePath: '/data/cats',
  size: 64,
  channels: 3,
  count: 120,
  classes: ['black', 'white'],
  rejectedCount: 1,
  createdAt: '2024-05-01T10:00:00.000Z',
  previewPath: null,
  heldOut: 0,
  synthetic: null,
  classifier: null,
  pair: null,
};

describe('the image file size limit', () => {
  it('is 256 MB, as the reject reason tells the user', () => {
    expect(REJECT.tooManyBytes(300 * 1024 * 1024)).toBe('too large (300 MB file, limit 256 MB)');
  });
});

describe('import options', () => {
  it('lay out a folder by class subfolders or flat', () => {
    expect(ImportLayout.parse('classes')).toBe('classes');
    expect(ImportLayout.parse('flat')).toBe('flat');
    expect(accepts(ImportLayout, 'nested')).toBe(false);
  });

  it('make a non-square image square by cropping, padding or stretching', () => {
    for (const fit of ['crop', 'pad', 'stretch']) expect(ImportFit.parse(fit)).toBe(fit);
    expect(accepts(ImportFit, 'cover')).toBe(false);
  });

  it('take a background colour as #rrggbb, in either case, and nothing around it', () => {
    for (const colour of ['#000000', '#FFFFFF', '#a0B1c9']) expect(accepts(BackgroundColor, colour), colour).toBe(true);
    for (const colour of ['#00000', '#0000000', 'x#000000', '#000000x', '#00000g', '000000', '#ggg000'])
      expect(refusal(BackgroundColor, colour), colour).toEqual(['(root): must be a colour like #000000']);
  });
});

describe('upload sessions and import ids', () => {
  it('accept the session ids the browser makes', () => {
    for (let i = 0; i < 5; i++) expect(accepts(UploadSession, newUploadSession())).toBe(true);
  });

  it('take a session id of 8 to 64 letters, digits, _ or -, with nothing else anywhere', () => {
    const message = '(root): must be an upload session id (8-64 letters, digits, _ or -)';
    expect(accepts(UploadSession, 'a'.repeat(8))).toBe(true);
    expect(accepts(UploadSession, 'A_-9'.repeat(16))).toBe(true);
    expect(refusal(UploadSession, 'a'.repeat(7))).toEqual([message]);
    expect(refusal(UploadSession, 'a'.repeat(65))).toEqual([message]);
    // The session names a folder under uploads/: no path separators or dots before or after it.
    for (const id of ['../aaaaaaaa', 'aaaaaaaa/..', 'aaaa aaaa', '........']) expect(refusal(UploadSession, id), id).toEqual([message]);
  });

  it('take an import id of 4 to 64 letters, digits, _ or -, with nothing else anywhere', () => {
    const message = '(root): must be an import id (4-64 letters, digits, _ or -)';
    expect(accepts(ImportId, 'imp1')).toBe(true);
    expect(accepts(ImportId, 'i'.repeat(64))).toBe(true);
    expect(refusal(ImportId, 'imp')).toEqual([message]);
    expect(refusal(ImportId, 'i'.repeat(65))).toEqual([message]);
    for (const id of ['../imp1', 'imp1/..', 'imp 1', '####']) expect(refusal(ImportId, id), id).toEqual([message]);
  });

  it('mark a dataset imported from an upload, which the UI names as such', () => {
    const t = (key: string, values?: Record<string, unknown>) => `${key}(${String(values?.name)})`;
    expect(sourceLabel('upload:cats', t)).toBe('datasets.uploadedFrom(cats)');
    expect(sourceLabel('/home/me/cats', t)).toBe('/home/me/cats');
  });
});

describe('the source of an import', () => {
  const scan = methods['datasets.scan'].request;
  const importRequest = methods['datasets.import'].request;

  it('is a folder path of 1 to 4096 characters', () => {
    expect(ImportSource.parse({ path: '/data/cats' })).toEqual({ path: '/data/cats' });
    expect(accepts(ImportSource, { path: '/' })).toBe(true);
    expect(accepts(ImportSource, { path: `/${'d'.repeat(4095)}` })).toBe(true);
    expect(refusal(ImportSource, { path: '' })).toEqual(['path: give the folder to import']);
    expect(refusal(ImportSource, { path: `/${'d'.repeat(4096)}` })).toEqual(['path: a folder path has at most 4096 characters']);
  });

  it('or an upload session, and nothing else', () => {
    expect(ImportSource.parse({ upload: 'up-12345678' })).toEqual({ upload: 'up-12345678' });
    expect(refusal(ImportSource, { upload: 'short' })?.[0]).toMatch(/^upload: must be an upload session id/);
    expect(refusal(ImportSource, { path: '/data', url: 'http://x' })?.[0]).toMatch(/url/);
  });

  it('is exactly one of the two for a scan or an import, refused at path otherwise', () => {
    const message = 'path: give either a folder path or an upload session, not both or neither';
    for (const schema of [scan, importRequest]) {
      expect(accepts(schema, { path: '/data/cats' })).toBe(true);
      expect(accepts(schema, { upload: 'up-12345678' })).toBe(true);
      expect(refusal(schema, {})).toEqual([message]);
      expect(refusal(schema, { path: '/data/cats', upload: 'up-12345678' })).toEqual([message]);
    }
  });
});

describe('answers about datasets', () => {
  it('pass a folder scan through unchanged', () => {
    const result = {
      sourcePath: '/data/cats',
      name: 'cats',
      files: 130,
      images: 122,
      wouldReject: 2,
      rejectReasons: { 'empty file': 2 },
      skipped: 4,
      formats: { png: 100, jpeg: 22 },
      classes: [
        { name: 'black', images: 60 },
        { name: 'white', images: 60 },
      ],
      unlabelled: 2,
      fingerprint: 'f00d',
      existing: [dataset],
    };
    expect(ScanResult.parse(result)).toEqual(result);
  });

  it('pass a dataset’s details through unchanged, with or without thumbnails', () => {
    const details = {
      dataset,
      options: { layout: 'flat', fit: 'pad', background: '#ffffff' },
      stats: { mean: [120.5, 110, 100], std: [60, 61, 62.5] },
      classHistogram: [60, 60],
      unlabelled: 0,
      sourceSizes: { edges: [0, 64, 128], counts: [10, 100, 10] },
      thumbs: { side: 32, columns: 16, perSheet: 256, sheets: ['datasets/ds-0001/thumbs/0.png'] },
      labels: [0, 1, -1],
      skipped: [{ file: 'a.txt', reason: 'not an image (unsupported format)' }],
      warnings: ['few images'],
    };
    expect(DatasetDetails.parse(details)).toEqual(details);
    expect(DatasetDetails.parse({ ...details, thumbs: null })).toEqual({ ...details, thumbs: null });
    expect(refusal(DatasetDetails, { ...details, options: { ...details.options, background: 'white' } })?.[0]).toMatch(/^options\.background: /);
  });

  it('report import progress in the four phases the import dialog names, in both languages', () => {
    expect(Object.keys(datasetsEn.import.phase)).toEqual(ImportPhase.options);
    expect(Object.keys(datasetsZhCN.import.phase)).toEqual(ImportPhase.options);
    for (const phase of ImportPhase.options) {
      const event = { importId: 'imp-1', path: '/data/cats', phase, done: 10, total: 120, rejected: 1, etaSeconds: 4.5, perSecond: 24.4 };
      expect(ImportProgressEvent.parse(event)).toEqual(event);
    }
    const starting = { importId: 'imp-1', path: '/data/cats', phase: 'scanning', done: 0, total: 0, rejected: 0, etaSeconds: null, perSecond: null };
    expect(ImportProgressEvent.parse(starting)).toEqual(starting);
    expect(refusal(ImportProgressEvent, { ...starting, phase: 'hashing' })?.[0]).toMatch(/^phase: /);
  });
});

describe('augmentation previews', () => {
  const request = (fields: object) => ({ id: 'ds-0001', augment: {}, ...fields });

  it('show 6 originals with 4 variants each, at full DiffAugment strength, from seed 0 by default', () => {
    expect(AugmentPreviewRequest.parse(request({}))).toEqual({ id: 'ds-0001', augment: defaultTrainingConfig().augment, seed: 0, count: 6, variants: 4, diffAugmentP: 1 });
  });

  it('take a seed from 0 to 2^31 - 1', () => {
    expect(AugmentPreviewRequest.parse(request({ seed: 0 })).seed).toBe(0);
    expect(AugmentPreviewRequest.parse(request({ seed: 2 ** 31 - 1 })).seed).toBe(2 ** 31 - 1);
    expect(refusal(AugmentPreviewRequest, request({ seed: -1 }))?.[0]).toMatch(/^seed: /);
    expect(refusal(AugmentPreviewRequest, request({ seed: 2 ** 31 }))?.[0]).toMatch(/^seed: /);
  });

  it('show 1 to 16 originals and 1 to 8 variants of each', () => {
    expect(AugmentPreviewRequest.parse(request({ count: 1, variants: 1 }))).toMatchObject({ count: 1, variants: 1 });
    expect(AugmentPreviewRequest.parse(request({ count: 16, variants: 8 }))).toMatchObject({ count: 16, variants: 8 });
    expect(refusal(AugmentPreviewRequest, request({ count: 0 }))?.[0]).toMatch(/^count: /);
    expect(refusal(AugmentPreviewRequest, request({ count: 17 }))?.[0]).toMatch(/^count: /);
    expect(refusal(AugmentPreviewRequest, request({ variants: 0 }))?.[0]).toMatch(/^variants: /);
    expect(refusal(AugmentPreviewRequest, request({ variants: 9 }))?.[0]).toMatch(/^variants: /);
  });

  it('apply each DiffAugment policy with a probability from 0 to 1', () => {
    expect(AugmentPreviewRequest.parse(request({ diffAugmentP: 0 })).diffAugmentP).toBe(0);
    expect(AugmentPreviewRequest.parse(request({ diffAugmentP: 0.5 })).diffAugmentP).toBe(0.5);
    expect(AugmentPreviewRequest.parse(request({ diffAugmentP: 1 })).diffAugmentP).toBe(1);
    expect(refusal(AugmentPreviewRequest, request({ diffAugmentP: -0.01 }))?.[0]).toMatch(/^diffAugmentP: /);
    expect(refusal(AugmentPreviewRequest, request({ diffAugmentP: 1.01 }))?.[0]).toMatch(/^diffAugmentP: /);
    expect(refusal(AugmentPreviewRequest, request({ colour: true }))?.[0]).toMatch(/colour/);
  });

  it('pass the preview through unchanged', () => {
    const preview = { indices: [3, 9], originals: ['data:a', 'data:b'], variants: [['data:a1'], ['data:b1']], millis: 12.5 };
    expect(AugmentPreview.parse(preview)).toEqual(preview);
  });
});
