/** Short, URL-safe, sortable-enough ids for datasets and runs. */
import { customAlphabet } from 'nanoid';

const nano = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 10);

export function newId(prefix: 'ds' | 'run'): string {
  return `${prefix}_${nano()}`;
}
