/** The PreviewHost: one long-lived trainer-side worker for augmentation previews, started lazily, reused, restarted if it dies. */
import { WorkbenchError } from '../../common/errors';
import { computeFields, type AugmentPreviewJob, type AugmentPreviewPixels, type ComputeChoice, type TrainerToHost } from '../../common/trainer-protocol';
import type { TrainerLauncher, TrainerProcess } from './launcher';

export type PreviewRequest = Omit<AugmentPreviewJob, 'type' | 'requestId' | keyof ComputeChoice>;

export interface PreviewHostOptions {
  launcher: TrainerLauncher;
  /** Force a compute backend or pick a GPU, as for training runs. */
  compute?: ComputeChoice;
  /** A request not answered by then kills the worker (it is stuck); the next request starts a fresh one. */
  timeoutMs?: number;
  /** The worker holds tfjs and its memory; stop it after this long without requests. */
  idleMs?: number;
  log?: (message: string) => void;
}

interface Pending {
  resolve(pixels: AugmentPreviewPixels): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class PreviewHost {
  private proc: TrainerProcess | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: PreviewHostOptions) {}

  /** Process id of the worker, when one is running (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Answers in request order: the worker handles one job at a time. */
  augmentPreview(request: PreviewRequest): Promise<AugmentPreviewPixels> {
    if (this.closed) return Promise.reject(new WorkbenchError('TRAINER_FAILED', 'the workbench is shutting down'));
    const proc = this.worker();
    const requestId = String(this.nextId++);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return new Promise<AugmentPreviewPixels>((resolve, reject) => {
      const timeoutMs = this.opts.timeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        this.opts.log?.(`preview worker did not answer within ${timeoutMs} ms; restarting it`);
        this.failAll(proc, `the preview worker did not answer within ${timeoutMs / 1000} s`);
        proc.kill();
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      proc.send({ type: 'augmentPreview', requestId, ...request, ...computeFields(this.opts.compute ?? {}) });
    });
  }

  shutdown(): void {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const proc = this.proc;
    if (proc) {
      this.failAll(proc, 'the workbench is shutting down');
      proc.kill();
    }
  }

  private worker(): TrainerProcess {
    if (this.proc) return this.proc;
    let proc: TrainerProcess;
    try {
      proc = this.opts.launcher();
    } catch (e) {
      throw new WorkbenchError('TRAINER_FAILED', `could not start the preview worker: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.proc = proc;
    proc.onMessage((m) => this.onMessage(m));
    proc.onExit((code, signal) => {
      this.failAll(proc, `the preview worker exited (${signal ? `signal ${signal}` : `code ${code}`}); try again`);
    });
    return proc;
  }

  private onMessage(m: TrainerToHost): void {
    if (m.type === 'log') return this.opts.log?.(`[preview] ${m.level}: ${m.message}`);
    if (m.type !== 'augmentPreviewResult') return;
    const p = this.pending.get(m.requestId);
    if (!p) return;
    this.pending.delete(m.requestId);
    clearTimeout(p.timer);
    if (m.ok) p.resolve(m.preview);
    else p.reject(new WorkbenchError('TRAINER_FAILED', `augmentation preview failed: ${m.error}`));
    if (this.pending.size === 0) this.armIdle();
  }

  /** Rejects everything waiting on `proc` and forgets it, so the next request starts a new worker. */
  private failAll(proc: TrainerProcess, why: string): void {
    if (this.proc !== proc) return;
    this.proc = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new WorkbenchError('TRAINER_FAILED', why));
    }
    this.pending.clear();
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const idleMs = this.opts.idleMs ?? 10 * 60_000;
    this.idleTimer = setTimeout(() => {
      const proc = this.proc;
      if (proc && this.pending.size === 0) {
        this.proc = null;
        proc.kill();
      }
    }, idleMs);
    // An idle timer alone must not keep the CLI or a test process alive.
    this.idleTimer.unref();
  }
}
