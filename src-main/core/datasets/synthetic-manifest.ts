/** Reads the manifest a synthetic-dataset export leaves at its folder's root: the provenance the imported dataset keeps. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SYNTHETIC_MANIFEST, SyntheticManifest, type SyntheticProvenance } from '../../common/synthetic';

/** Null for a folder of real images, or one whose manifest is missing or unreadable: nothing is claimed then. */
export async function readSyntheticProvenance(folder: string): Promise<SyntheticProvenance | null> {
  let text: string;
  try {
    text = await readFile(join(folder, SYNTHETIC_MANIFEST), 'utf8');
  } catch {
    return null;
  }
  let parsed;
  try {
    parsed = SyntheticManifest.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const { format: _format, version: _version, ...provenance } = parsed.data;
  return provenance;
}
