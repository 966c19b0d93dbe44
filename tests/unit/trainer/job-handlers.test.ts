/** The trainer's job registry: each job answers once, with its result or its error; the probe then ends its process, the worker's jobs keep it; loop controls reach the loop. */
import { describe, expect, it } from 'vitest';
import { GenerateSpec } from '../../../src-main/common/domain';
import { defaultTrainingConfig } from '../../../src-main/common/training-config';
import type { TrainerToHost } from '../../../src-main/common/trainer-protocol';
import { AugmentPreviewWorker } from '../../../src-main/utility/augment-preview';
import { dispatch, jobHandlers } from '../../../src-main/utility/job-handlers';
import { TrainingLoop } from '../../../src-main/engine/loop/training-loop';
import { tempDir } from '../../fixtures/workbench';

function parts() {
  const sent: TrainerToHost[] = [];
  const exits: number[] = [];
  let answered!: () => void;
  const answer = new Promise<void>((resolve) => (answered = resolve));
  let ended!: () => void;
  const exited = new Promise<void>((resolve) => (ended = resolve));
  const loop = new TrainingLoop((m) => sent.push(m));
  const handlers = jobHandlers({
    send: (m) => {
      sent.push(m);
      answered();
    },
    loop,
    previews: new AugmentPreviewWorker(),
    exitSoon: (ms) => {
      exits.push(ms);
      ended();
    },
    markTraining: () => undefined,
  });
  return { sent, exits, exited, answer, loop, handlers };
}

describe('trainer job handlers', () => {
  it('probe answers with the backend a run would get, once, then ends the process', async () => {
    const p = parts();
    dispatch(p.handlers, { type: 'probe', backend: 'wasm' });
    await p.exited;
    expect(p.sent).toEqual([{ type: 'probed', backend: expect.objectContaining({ name: 'wasm' }) }]);
    expect(p.exits).toHaveLength(1);
  });

  it('a failing generate job answers ok: false with the reason under its request id, and the worker process stays up', async () => {
    const p = parts();
    const missing = tempDir('no-checkpoint');
    dispatch(p.handlers, {
      type: 'generate',
      requestId: 'req_1',
      datasetDir: missing,
      config: defaultTrainingConfig(),
      checkpointDir: `${missing}/checkpoints/10`,
      request: GenerateSpec.parse({ kind: 'classes' }),
      backend: 'wasm',
    });
    await p.answer;
    expect(p.sent).toHaveLength(1);
    expect(p.sent[0]).toMatchObject({ type: 'generated', requestId: 'req_1', ok: false, error: expect.any(String) });
    expect(p.exits).toEqual([]);
  });

  it('a failing evaluate job answers ok: false with the reason under its request id, and the worker process stays up', async () => {
    const p = parts();
    const missing = tempDir('no-dataset');
    dispatch(p.handlers, {
      type: 'evaluate',
      requestId: 'req_2',
      datasetDir: missing,
      classifierDir: null,
      n: 50,
      seed: 0,
      source: { kind: 'folder', files: [], maxInputPixels: 1 },
      backend: 'wasm',
    });
    await p.answer;
    expect(p.sent).toEqual([{ type: 'evaluated', requestId: 'req_2', ok: false, error: `no dataset at ${missing}` }]);
    expect(p.exits).toEqual([]);
  });

  it('pause reaches the training loop without ending the process', () => {
    const p = parts();
    dispatch(p.handlers, { type: 'pause' });
    expect((p.loop as unknown as { paused: boolean }).paused).toBe(true);
    expect(p.exits).toEqual([]);
  });
});
