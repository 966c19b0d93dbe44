/** The CLI is a third transport of the same contract: what the contract refuses, it refuses over the CLI exactly as over IPC and WebSocket. */
import { describe, expect, it } from 'vitest';
import type { MethodName } from '../../src-main/common/contract';
import { cliIn } from '../fixtures/cli';
import { makeWorkbench, tempDir } from '../fixtures/workbench';
import { rejection, transports } from './transports';

interface Refused {
  what: string;
  /** The command line (after --data-dir and --json). */
  args: string[];
  /** The request that command sends, as a UI would send it. */
  method: MethodName;
  payload: Record<string, unknown>;
}

const folder = tempDir('cli-contract-folder');
const cases: Refused[] = [
  { what: 'an unknown key', args: ['settings', '--set', 'memoryBudget=5'], method: 'settings.update', payload: { memoryBudget: 5 } },
  {
    what: 'an out-of-range value',
    args: ['import', folder, '--size', '4'],
    method: 'datasets.import',
    payload: { path: folder, size: 4, layout: 'classes' },
  },
  {
    what: 'a paired layout the contract does not list',
    args: ['import-paired', folder, '--layout', 'stacked'],
    method: 'datasets.importPaired',
    payload: { path: folder, layout: 'stacked' },
  },
  { what: 'a bad id', args: ['rename', 'run/../x', 'new name'], method: 'runs.update', payload: { id: 'run/../x', name: 'new name' } },
  { what: 'too few runs to compare', args: ['compare', 'run_aaaaaaaaaa', '--max-points', '50'], method: 'runs.compare', payload: { ids: ['run_aaaaaaaaaa'], maxPoints: 50 } },
  {
    what: 'a value out of range inside a union',
    args: ['generate', 'run_aaaaaaaaaa', '--walk', '0:300'],
    method: 'runs.generate',
    payload: { id: 'run_aaaaaaaaaa', spec: { kind: 'interpolate', from: 0, to: 300 } },
  },
  {
    what: 'an export format the contract does not list',
    args: ['export', 'run_aaaaaaaaaa', '--format', 'pt', '--out', `${folder}-export`],
    method: 'runs.export',
    payload: { id: 'run_aaaaaaaaaa', format: 'pt' },
  },
  {
    what: 'a confidence filter that is not a probability',
    args: ['export', 'run_aaaaaaaaaa', '--format', 'dataset', '--min-confidence', '90', '--import'],
    method: 'runs.export',
    payload: { id: 'run_aaaaaaaaaa', format: 'dataset', minConfidence: 90 },
  },
  {
    what: 'a folder to evaluate without the dataset to measure it against',
    args: ['evaluate', '--folder', folder],
    method: 'quality.evaluate',
    payload: { source: { folder } },
  },
];

describe('a refused request over the CLI, IPC and WebSocket', () => {
  it.each(cases)('$what: the same code, message and details', async ({ args, method, payload }) => {
    const dataDir = tempDir('cli-contract');
    // The CLI opens the data directory itself, so it goes first; the others then share one workbench.
    const overCli = await cliIn(dataDir)('--json', ...args);
    expect(overCli.code).toBe(2);
    const { error } = overCli.json as { error: { code: string; message: string; details?: unknown } };
    expect(error.code).toBe('INVALID_REQUEST');

    const wb = makeWorkbench(dataDir);
    try {
      for (const name of Object.keys(transports) as (keyof typeof transports)[]) {
        const conn = await transports[name](wb);
        try {
          const refused = await rejection(conn.client.call(method, payload as never));
          expect({ transport: name, code: refused.code, message: refused.message, details: refused.details }).toEqual({ transport: name, ...error });
        } finally {
          await conn.close();
        }
      }
    } finally {
      wb.workbench.close();
    }
  });
});
