/** Short, URL-safe, sortable-enough ids for datasets and runs. */
import { customAlphabet } from 'nanoid';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const LENGTH = 10;
const nano = customAlphabet(ALPHABET, LENGTH);

export type IdPrefix = 'ds' | 'run' | 'imp';

/** `imp`: an import, when the client did not name it. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${nano()}`;
}

/** True when `name` is exactly an id newId(prefix) could have made: how the start-up sweep knows a folder is ours. */
export function isIdOf(prefix: IdPrefix, name: string): boolean {
  return name.length === prefix.length + 1 + LENGTH && name.startsWith(`${prefix}_`) && [...name.slice(prefix.length + 1)].every((c) => ALPHABET.includes(c));
}
