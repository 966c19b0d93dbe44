/** Short, URL-safe, sortable-enough ids for datasets and runs. */
import { customAlphabet } from 'nanoid';

const nano = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10);

/** `imp`: an import, when the client did not name it. */
export function newId(prefix: 'ds' | 'run' | 'imp'): string {
  return `${prefix}_${nano()}`;
}
