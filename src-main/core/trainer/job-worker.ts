/**
 * The JobWorker: the one warm trainer-side worker that augmentation previews, generated images,
 * exports, evaluations, classifier trainings and Grow share. Started lazily, reused, one job at a time in request order, a timeout per job kind;
 * a worker that dies or hangs fails its jobs with a typed error, and the next job starts a fresh one.
 */
import { WorkbenchError } from '../../common/errors';
import {
  computeFields,
  type AugmentPreviewJob,
  type AugmentPreviewPixels,
  type ComputeChoice,
  type EvaluatedImages,
  type EvaluateImages,
  type ExportGenerator,
  type GenerateImages,
  type GeneratedPixels,
  type GrownNetworks,
  type GrowNetworks,
  type TrainClassifier,
  type TranslatedPixels,
  type TranslateImage,
  type TrainerToHost,
} from '../../common/trainer-protocol';
import type { ClassifierReport } from '../../common/classifier';
import type { TrainerLauncher, TrainerProcess } from './launcher';

type RequestOf<J> = Omit<J, 'type' | 'requestId' | keyof ComputeChoice>;
export type PreviewRequest = RequestOf<AugmentPreviewJob>;
export type GenerateRequest = RequestOf<GenerateImages>;
export type ExportRequest = RequestOf<ExportGenerator>;
export type EvaluateRequest = RequestOf<EvaluateImages>;
export type ClassifierRequest = RequestOf<TrainClassifier>;
export type GrowRequest = RequestOf<GrowNetworks>;
export type TranslateRequest = RequestOf<TranslateImage>;

/** Each kind of job: what it is called in messages, the answer it waits for, and how long it may take. */
const KINDS = {
  augmentPreview: { what: 'augmentation preview', answer: 'augmentPreviewResult', timeoutMs: 60_000 },
  generate: { what: 'render', answer: 'generated', timeoutMs: 180_000 },
  // A 1024 × 1024 image in tiles of 28 with half overlap is about 5,000 tiles: minutes on one wasm thread.
  translate: { what: 'translation', answer: 'translated', timeoutMs: 600_000 },
  // A synthetic dataset filtered by the classifier may draw 20 images per kept one: up to 400,000 for 20,000.
  export: { what: 'export of the generator', answer: 'exported', timeoutMs: 3_600_000 },
  // Embedding 2 × 10,000 images on one wasm thread takes about 20 minutes.
  evaluate: { what: 'evaluation', answer: 'evaluated', timeoutMs: 3_600_000 },
  // About a minute for MNIST on one wasm thread; an hour bounds a large dataset of large images.
  trainClassifier: { what: 'classifier training', answer: 'classifierTrained', timeoutMs: 3_600_000 },
  // Reading a checkpoint and building two nets: seconds, minutes for the largest.
  grow: { what: 'Grow', answer: 'grown', timeoutMs: 600_000 },
} as const;
type Kind = keyof typeof KINDS;
type Answer = Extract<TrainerToHost, { type: (typeof KINDS)[Kind]['answer'] }>;

export interface JobWorkerOptions {
  launcher: TrainerLauncher;
  /** Force a compute backend or pick a GPU, as for training runs. */
  compute?: ComputeChoice;
  /** Overrides every kind's timeout (tests). A job not answered by then kills the worker (it is stuck). */
  timeoutMs?: number;
  /** The worker holds tfjs and its memory; stop it after this long without jobs. */
  idleMs?: number;
  log?: (message: string) => void;
}

interface Job {
  kind: Kind;
  requestId: string;
  message: Record<string, unknown>;
  settle(answer: Answer | Error): void;
}

export class JobWorker {
  private proc: TrainerProcess | null = null;
  private readonly queue: Job[] = [];
  private current: { job: Job; proc: TrainerProcess; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: JobWorkerOptions) {}

  /** Process id of the worker, when one is running (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Jobs handed to the worker so far: what a cached answer must not add to (for diagnostics and tests). */
  get jobsSubmitted(): number {
    return this.nextId - 1;
  }

  augmentPreview(request: PreviewRequest): Promise<AugmentPreviewPixels> {
    return this.submit('augmentPreview', request, (a) => (a.type === 'augmentPreviewResult' && a.ok ? a.preview : undefined));
  }

  generate(request: GenerateRequest): Promise<GeneratedPixels> {
    return this.submit('generate', request, (a) => (a.type === 'generated' && a.ok ? a.image : undefined));
  }

  translate(request: TranslateRequest): Promise<TranslatedPixels> {
    return this.submit('translate', request, (a) => (a.type === 'translated' && a.ok ? a.result : undefined));
  }

  /** Resolves with the folder the trainer wrote. */
  exportGenerator(request: ExportRequest): Promise<string> {
    return this.submit('export', request, (a) => (a.type === 'exported' && a.ok ? a.dir : undefined));
  }

  /** FD, KID, precision/recall and memorization of a folder's or a checkpoint's images against a dataset. */
  evaluate(request: EvaluateRequest): Promise<EvaluatedImages> {
    return this.submit('evaluate', request, (a) => (a.type === 'evaluated' && a.ok ? a.result : undefined));
  }

  /** Trains a dataset's classifier and writes it to the request's folder; resolves with its report. */
  trainClassifier(request: ClassifierRequest): Promise<ClassifierReport> {
    return this.submit('trainClassifier', request, (a) => (a.type === 'classifierTrained' && a.ok ? a.report : undefined));
  }

  /** Builds a grown run's networks from a parent checkpoint and writes them as its checkpoint 0; resolves with what was kept. */
  grow(request: GrowRequest): Promise<GrownNetworks> {
    return this.submit('grow', request, (a) => (a.type === 'grown' && a.ok ? a.result : undefined));
  }

  shutdown(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) job.settle(new WorkbenchError('TRAINER_FAILED', 'the workbench is shutting down'));
    const proc = this.proc;
    if (proc) {
      this.failCurrent(proc, 'the workbench is shutting down');
      proc.kill();
    }
  }

  private submit<T>(kind: Kind, request: object, value: (a: Answer) => T | undefined): Promise<T> {
    if (this.closed) return Promise.reject(new WorkbenchError('TRAINER_FAILED', 'the workbench is shutting down'));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const requestId = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      const settle = (a: Answer | Error) => {
        if (a instanceof Error) return reject(a);
        const v = value(a);
        if (v !== undefined) return resolve(v);
        // The trainer's message names the failure (a missing checkpoint, a request the run cannot render).
        reject(new WorkbenchError('TRAINER_FAILED', `${KINDS[kind].what} failed: ${'error' in a ? a.error : 'no result'}`));
      };
      this.queue.push({ kind, requestId, message: { type: kind, requestId, ...request, ...computeFields(this.opts.compute ?? {}) }, settle });
      this.pump();
    });
  }

  /** Sends the next job when none is running: the worker does one at a time, so jobs never fight over its backend. */
  private pump(): void {
    if (this.current !== null || this.closed) return;
    const job = this.queue.shift();
    if (job === undefined) return this.armIdle();
    let proc: TrainerProcess;
    try {
      proc = this.worker();
    } catch (e) {
      job.settle(new WorkbenchError('TRAINER_FAILED', `could not start the trainer worker: ${e instanceof Error ? e.message : String(e)}`));
      return this.pump();
    }
    const timeoutMs = this.opts.timeoutMs ?? KINDS[job.kind].timeoutMs;
    const timer = setTimeout(() => {
      this.opts.log?.(`the trainer worker did not finish a ${KINDS[job.kind].what} within ${timeoutMs} ms; restarting it`);
      this.failCurrent(proc, `the ${KINDS[job.kind].what} did not finish within ${timeoutMs / 1000} s`);
      proc.kill();
    }, timeoutMs);
    this.current = { job, proc, timer };
    proc.send(job.message as never);
  }

  private worker(): TrainerProcess {
    if (this.proc) return this.proc;
    const proc = this.opts.launcher();
    this.proc = proc;
    proc.onMessage((m) => this.onMessage(proc, m));
    proc.onExit((code, signal) => {
      if (this.proc === proc) this.proc = null;
      this.failCurrent(proc, `the trainer worker exited (${signal ? `signal ${signal}` : `code ${code}`}); try again`);
    });
    return proc;
  }

  private onMessage(proc: TrainerProcess, m: TrainerToHost): void {
    if (m.type === 'log') return this.opts.log?.(`[worker] ${m.level}: ${m.message}`);
    const current = this.current;
    if (current === null || current.proc !== proc || !('requestId' in m) || m.requestId !== current.job.requestId) return;
    if (m.type !== KINDS[current.job.kind].answer) return;
    clearTimeout(current.timer);
    this.current = null;
    current.job.settle(m as Answer);
    this.pump();
  }

  /** Fails the job running on `proc` and forgets the worker, so the next job starts a new one. */
  private failCurrent(proc: TrainerProcess, why: string): void {
    if (this.proc === proc) this.proc = null;
    const current = this.current;
    if (current === null || current.proc !== proc) return;
    clearTimeout(current.timer);
    this.current = null;
    current.job.settle(new WorkbenchError('TRAINER_FAILED', why));
    this.pump();
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const idleMs = this.opts.idleMs ?? 10 * 60_000;
    this.idleTimer = setTimeout(() => {
      const proc = this.proc;
      if (proc && this.current === null && this.queue.length === 0) {
        this.proc = null;
        proc.kill();
      }
    }, idleMs);
    // An idle timer alone must not keep the CLI or a test process alive.
    this.idleTimer.unref();
  }
}
