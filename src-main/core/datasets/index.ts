/** The dataset import and packed-format API of the core layer. */
export { importFolder, type ImportFolderOptions, type ImportFolderResult } from './import-folder';
export { scanFolder, fingerprintOf, type FolderScan } from './scan-folder';
export { UploadStore, safeRelativePath, type UploadLimits } from './uploads';
export { DatasetService } from './dataset-service';
export {
  IMAGES_FILE,
  LABELS_FILE,
  MANIFEST_FILE,
  Manifest,
  NO_CLASS_LABEL,
  PREVIEW_FILE,
  PACKED_FORMAT_VERSION,
  THUMBS_PER_SHEET,
  imageBytes,
  readManifest,
  readPackedDataset,
  type PackedDataset,
  type ProvenanceEntry,
} from './packed-format';
export { PARTIAL_MARKER } from './packed-writer';
export type { ImportPhase, ImportProgress } from './progress';
export { REJECT, MIN_SOURCE_SIDE, DEFAULT_MAX_INPUT_PIXELS, MAX_FILE_BYTES } from './reject-reasons';
export { walkFolder, type FoundFile, type WalkResult } from './walk';
