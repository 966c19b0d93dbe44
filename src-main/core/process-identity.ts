/** Who a process is (PID, start time, host), and whether it still runs: PIDs get reused, so the start time decides. */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export type OwnerKind = 'desktop' | 'serve' | 'cli';

export interface ProcessIdentity {
  pid: number;
  /** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat field 22); null elsewhere. */
  startTicks: number | null;
  /** Wall-clock start of the process, for people reading the lock. */
  startedAt: string;
  host: string;
}

/** Field 22 of /proc/<pid>/stat, read after the command name, which may itself hold spaces and parentheses. */
export function linuxStartTicks(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields after the name start at field 3 (state); starttime is field 22.
  const ticks = Number(fields[22 - 3]);
  return Number.isFinite(ticks) ? ticks : null;
}

let self: ProcessIdentity | undefined;

export function currentProcess(): ProcessIdentity {
  self ??= {
    pid: process.pid,
    startTicks: linuxStartTicks(process.pid),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    host: hostname(),
  };
  return self;
}

export function sameProcess(a: ProcessIdentity, b: ProcessIdentity): boolean {
  return a.pid === b.pid && a.host === b.host && a.startTicks === b.startTicks;
}

export type Liveness = 'alive' | 'gone' | 'unknown';

/** `unknown` when the process runs on another host (a data directory on a network share): we cannot look. */
export function liveness(owner: ProcessIdentity): Liveness {
  if (owner.host !== hostname()) return 'unknown';
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  if (owner.startTicks !== null) {
    const ticks = linuxStartTicks(owner.pid);
    if (ticks !== null && ticks !== owner.startTicks) return 'gone';
  }
  return 'alive';
}
