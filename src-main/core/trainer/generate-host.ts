/** The GenerateHost: renders images from a checkpoint on a short-lived trainer process, one request at a time. */
import { WorkbenchError } from '../../common/errors';
import { computeFields, type ComputeChoice, type GenerateImages, type GeneratedPixels } from '../../common/trainer-protocol';
import type { TrainerLauncher } from './launcher';
import { runOneShot } from './one-shot';

export type GenerateRequest = Omit<GenerateImages, 'type' | 'requestId' | keyof ComputeChoice>;

export interface GenerateHostOptions {
  launcher: TrainerLauncher;
  /** Force a compute backend or pick a GPU, as for training runs. */
  compute?: ComputeChoice;
  /** Loading tfjs and a checkpoint takes seconds; a process silent for this long is stuck and killed. */
  timeoutMs?: number;
  log?: (message: string) => void;
}

export class GenerateHost {
  private nextId = 1;
  /** Requests run one after another: each process loads tfjs and a model, two at once would only fight for the CPU. */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: GenerateHostOptions) {}

  generate(request: GenerateRequest): Promise<GeneratedPixels> {
    if (this.closed) return Promise.reject(new WorkbenchError('TRAINER_FAILED', 'the workbench is shutting down'));
    const next = this.tail.then(() => this.once(request));
    this.tail = next.catch(() => undefined);
    return next;
  }

  shutdown(): void {
    this.closed = true;
  }

  private once(request: GenerateRequest): Promise<GeneratedPixels> {
    const requestId = String(this.nextId++);
    return runOneShot({
      launcher: this.opts.launcher,
      what: 'render',
      timeoutMs: this.opts.timeoutMs,
      log: this.opts.log,
      message: { type: 'generate', requestId, ...request, ...computeFields(this.opts.compute ?? {}) },
      // The trainer's message names the failure (a missing checkpoint, a request the run cannot render).
      answer: (m) => (m.type !== 'generated' || m.requestId !== requestId ? undefined : m.ok ? m.image : new Error(m.error)),
    });
  }
}
