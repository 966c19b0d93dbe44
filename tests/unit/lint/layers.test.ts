/** The layer rules of ARCHITECTURE.md are enforced by ESLint: each forbidden import fails lint, each allowed one passes. */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { repoRoot } from '../../fixtures/workbench';

const eslint = new ESLint({ cwd: repoRoot });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(repoRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const forbidden: [string, string][] = [
  ['src-main/core/x.ts', "import { app } from 'electron';"],
  ['src-main/core/x.ts', "import * as tf from '@tensorflow/tfjs';"],
  ['src-main/core/x.ts', "import { resolveBackend } from '../engine/backends/resolve-backend';"],
  ['src-main/engine/x.ts', "import { Store } from '../core/store/store';"],
  ['src-main/engine/x.ts', "import { app } from 'electron';"],
  ['src-main/common/x.ts', "import { readFileSync } from 'node:fs';"],
  ['src-main/common/x.ts', "import { Store } from '../core/store/store';"],
  ['src-main/transport/x.ts', "import { createWorkbench } from '../core/workbench';"],
  ['src-main/transport/x.ts', "import { protocol } from 'electron';"],
  ['src-main/utility/x.ts', "import { Store } from '../core/store/store';"],
  ['src-main/electron/x.ts', "import { TrainingLoop } from '../utility/training-run';"],
  ['src-renderer/x.ts', "import { Store } from '../src-main/core/store/store';"],
  ['src-renderer/x.ts', "import { readFileSync } from 'node:fs';"],
  ['src-renderer/x.ts', "import { ipcRenderer } from 'electron';"],
  ['src-preload/x.ts', "import { methods } from '../src-main/common/contract';"],
  ['src-preload/x.ts', "import { createRendererUrlCheck } from '../src-main/transport/renderer-url';"],
  ['src-preload/x.ts', "import { readFileSync } from 'node:fs';"],
];

const allowed: [string, string][] = [
  ['src-main/core/x.ts', "import { methods } from '../common/contract';"],
  ['src-main/engine/x.ts', "import type { TrainingConfig } from '../common/training-config';"],
  ['src-main/utility/x.ts', "import { readPackedDataset } from '../core/datasets/packed-format';"],
  ['src-main/electron/x.ts', "import { createWorkbench } from '../core/workbench';"],
  ['src-renderer/x.ts', "import type { Run } from '@common/domain';"],
  ['src-preload/x.ts', "import { IPC_CALL_CHANNEL } from '../src-main/common/ipc-channels';"],
  ['src-preload/x.ts', "import { createBridge } from './bridge';"],
  ['src-main/electron/x.ts', "import { createAppProtocolHandler } from '../transport/app-protocol';"],
  ['src-renderer/x.ts', "import { appFileUrl } from '@common/app-url';"],
];

describe('layer rules', () => {
  it.each(forbidden)('%s may not: %s', async (file, source) => {
    expect(await restricted(file, source)).toHaveLength(1);
  });

  it.each(allowed)('%s may: %s', async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});
