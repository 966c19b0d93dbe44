#!/usr/bin/env node
// Lists the mutants a folder's mutation report left alive (Survived, NoCoverage), one line each with its
// source line, so a test can be aimed at each: node scripts/mutation-survivors.mjs <folder> [file-substring].
import { readFileSync } from 'node:fs';

const [folder, only] = process.argv.slice(2);
if (!folder) {
  console.error('usage: node scripts/mutation-survivors.mjs <folder> [file-substring]');
  process.exit(2);
}
const report = JSON.parse(readFileSync(`reports/mutation/${folder}.json`, 'utf8'));
for (const [file, { source, mutants }] of Object.entries(report.files)) {
  if (only && !file.includes(only)) continue;
  const lines = source.split('\n');
  const alive = mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage');
  if (alive.length === 0) continue;
  console.log(`## ${file}: ${alive.length} alive of ${mutants.length}`);
  for (const m of alive.sort((a, b) => a.location.start.line - b.location.start.line)) {
    const at = `${m.location.start.line}:${m.location.start.column}`;
    console.log(`${at} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '').slice(0, 70)} | ${lines[m.location.start.line - 1].trim().slice(0, 90)}`);
  }
}
