/** Decides the classes of an import from the first-level subfolders its imported images came from. */
import { MAX_CLASSES, NO_CLASS_LABEL } from './packed-format';
import { compareRel } from './walk';

export interface ClassAssignment {
  classes: string[];
  /** Per image: index into classes, or -1. */
  classIndices: number[];
  /** Per image: the label byte (class index, or NO_CLASS_LABEL). */
  labels: Uint8Array;
  histogram: number[];
  unlabelled: number;
  warnings: string[];
}

/**
 * Rule: a first-level subfolder is a class when at least one image from it (at any depth) was
 * imported; subfolders holding only rejected files or no images are not classes. Images lying
 * directly in the root get no class. Decided after decoding, so a folder of READMEs never becomes
 * a class. Over MAX_CLASSES classes cannot fit a label byte: the set is imported without classes.
 */
export function assignClasses(topDirs: readonly (string | null)[]): ClassAssignment {
  const names = [...new Set(topDirs.filter((d): d is string => d !== null))].sort(compareRel);
  const warnings: string[] = [];
  let classes = names;
  if (names.length > MAX_CLASSES) {
    warnings.push(`found ${names.length} class folders, more than ${MAX_CLASSES}: imported without classes`);
    classes = [];
  }
  const indexOf = new Map(classes.map((name, i) => [name, i]));
  const histogram = new Array<number>(classes.length).fill(0);
  const labels = new Uint8Array(topDirs.length);
  const classIndices = topDirs.map((dir, i) => {
    const index = dir === null ? -1 : (indexOf.get(dir) ?? -1);
    labels[i] = index === -1 ? NO_CLASS_LABEL : index;
    if (index !== -1) histogram[index]!++;
    return index;
  });
  const unlabelled = classIndices.filter((c) => c === -1).length;
  return { classes, classIndices, labels, histogram, unlabelled, warnings };
}
