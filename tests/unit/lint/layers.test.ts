/** The layer rules of docs/architecture.md are enforced by ESLint: each forbidden import fails lint, each allowed one passes. */
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
  // The composition roots never load the engine or the trainer process's code.
  ['src-main/electron/x.ts', "import { resolveBackend } from '../engine/backends/resolve-backend';"],
  ['src-main/headless.ts', "import { TrainingSession } from './engine/training-session';"],
  ['src-main/headless.ts', "import { runTraining } from './utility/training-run';"],
  ['src-main/cli.ts', "import { resolveBackend } from './engine/backends/resolve-backend';"],
  ['src-main/cli.ts', "import { JOB_HANDLERS } from './utility/job-handlers';"],
  ['src-main/cli/x.ts', "import { TrainingSession } from '../engine/training-session';"],
  ['src-main/cli/x.ts', "import { FileRunStorage } from '../utility/file-run-storage';"],
  ['src-main/cli/x.ts', "import { utilityLauncher } from '../electron/utility-launcher';"],
  // The trainer process takes from core its file formats and durable writes only.
  ['src-main/utility/x.ts', "import { createWorkbench } from '../core/workbench';"],
  ['src-main/utility/x.ts', "import { RunService } from '../core/runs/run-service';"],
  ['src-main/utility/x.ts', "import { importDataset } from '../core/datasets/import';"],
  ['src-main/utility/x.ts', "import { pickIndices } from '../core/datasets/augment-preview';"],
  ['src-main/utility/x.ts', "import { readSettings } from '../core/settings/settings-service';"],
  ['src-main/utility/x.ts', "import { newId } from '../core/ids';"],
  ['src-main/utility/x.ts', "import { forkLauncher } from '../core/trainer/fork-launcher';"],
  ['src-main/utility/x.ts', "import { readManifest } from '../core/datasets/packed-format-extra';"],
  ['src-main/utility/x.ts', "import { walkFolder } from '../core/datasets/walk';"],
  ['src-main/utility/x.ts', "import * as core from '../core';"],
  // The renderer's pure helpers depend on nothing of the UI above them.
  ['src-renderer/lib/x.ts', "import type { AugmentPreviewSettings } from '../stores/augment-preview';"],
  ['src-renderer/lib/x.ts', "import RunsPage from '../pages/RunsPage.vue';"],
  ['src-renderer/lib/x.ts', "import AugmentPreview from '../components/AugmentPreview.vue';"],
  ['src-renderer/lib/x.ts', "import { Store } from '../../src-main/core/store/store';"],
  ['src-renderer/lib/x.ts', "import { readFileSync } from 'node:fs';"],
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
  ['src-main/utility/x.ts', "import { IMAGES_FILE } from '../core/datasets/packed-format';"],
  ['src-main/utility/x.ts', "import { decodeImage } from '../core/datasets/decode-image';"],
  ['src-main/utility/x.ts', "import { CHECKPOINT_STATE_FILE } from '../core/checkpoints/checkpoint-format';"],
  ['src-main/utility/x.ts', "import { writeFileAtomic } from '../core/durable-files';"],
  ['src-main/utility/x.ts', "import { diskFullReason } from '../core/disk-space';"],
  ['src-main/utility/x.ts', "import { TrainingLoop } from '../engine/loop/training-loop';"],
  ['src-main/headless.ts', "import { forkLauncher } from './core/trainer/fork-launcher';"],
  ['src-main/cli.ts', "import { CliContext } from './cli/context';"],
  ['src-main/cli/x.ts', "import { createWorkbench } from '../core/workbench';"],
  ['src-main/cli/x.ts', "import { startHeadless } from '../headless';"],
  ['src-main/cli/x.ts', "import { createRouter } from '../transport/router';"],
  ['src-renderer/lib/x.ts', "import type { Run } from '@common/domain';"],
  ['src-renderer/lib/x.ts', "import { formatNumber } from './format';"],
  ['src-renderer/lib/x.ts', "import { fieldsEn } from '../i18n/config-fields.en';"],
  ['src-renderer/stores/x.ts', "import type { AugmentPreviewSettings } from '../lib/augment-controls';"],
  ['src-renderer/components/x.ts', "import { OP_CONTROLS } from '../lib/augment-controls';"],
];

describe('layer rules', () => {
  it.each(forbidden)('%s may not: %s', async (file, source) => {
    expect(await restricted(file, source)).toHaveLength(1);
  });

  it.each(allowed)('%s may: %s', async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});
