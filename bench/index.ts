/** `npm run bench`: runs every benchmark (or those named on the command line) and prints figures and ratios. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Benchmark {
  name: string;
  run(): Promise<void>;
}

const here = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

for (const file of files) {
  const mod = (await import(join(here, file))) as { default: Benchmark };
  if (only.length > 0 && !only.some((o) => mod.default.name.includes(o) || file.includes(o))) continue;
  console.log(`\n=== ${mod.default.name} (${file})`);
  const t0 = performance.now();
  await mod.default.run();
  console.log(`--- ${mod.default.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
