/** The headless server the fuzz tests attack, in its own process: restarted when a case killed it, so shrinking replays each candidate on a live one. */
import { expect } from 'vitest';
import { ServerProcess } from '../fixtures/server-process';

export class FuzzTarget {
  private current: ServerProcess | null = null;

  /** A live server: the one before, or a new one when the last case killed it (that case has already failed). */
  async ready(): Promise<ServerProcess> {
    if (this.current?.alive()) return this.current;
    await this.current?.stop();
    this.current = await ServerProcess.start();
    return this.current;
  }

  /** The property every case must keep: the process lives, app.info answers, and nothing appeared outside the data directory. */
  async expectUnharmed(): Promise<void> {
    const server = this.current!;
    let info: { dataDir: string };
    try {
      info = await server.appInfo();
    } catch (error) {
      if (await server.exitsWithin(10_000)) throw new Error(`the server died:\n${server.output()}`);
      throw error;
    }
    expect(info.dataDir).toBe(server.dataDir);
    expect(server.sandbox.strayPaths()).toEqual([]);
  }

  async stop(): Promise<void> {
    await this.current?.stop();
  }
}

export const SECURITY_HEADERS = ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-resource-policy'];
