/** Runs a function with DNS refusing every name, so a tool that reaches for the network fails fast instead of leaving the machine. */
import dns from 'node:dns';

type Lookup = typeof dns.lookup;

/** Resolves to the function's result and the host names it tried to look up (each refused with ENETDOWN, which clients do not retry). */
export async function withoutNetwork<T>(fn: () => Promise<T>): Promise<{ result: T; refusedHosts: string[] }> {
  const original = dns.lookup;
  const refusedHosts: string[] = [];
  const refuse = ((hostname: string, ...rest: unknown[]) => {
    refusedHosts.push(hostname);
    const callback = rest.at(-1) as (err: NodeJS.ErrnoException) => void;
    const err: NodeJS.ErrnoException = Object.assign(new Error(`offline run: refused to look up ${hostname}`), { code: 'ENETDOWN' });
    process.nextTick(() => callback(err));
  }) as unknown as Lookup;
  // net and http read dns.lookup when they connect, so replacing the property covers every client built on them.
  dns.lookup = refuse;
  try {
    return { result: await fn(), refusedHosts: [...new Set(refusedHosts)] };
  } finally {
    dns.lookup = original;
  }
}
