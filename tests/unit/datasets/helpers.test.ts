/** The small pieces of the import: ordered pool, progress throttle, format sniffing, pixel statistics. */
import { describe, expect, it } from 'vitest';
import { mapOrdered } from '../../../src-main/core/datasets/ordered-pool';
import { ChannelStats } from '../../../src-main/core/datasets/pixel-stats';
import { rateClock, throttleProgress, type ImportProgress } from '../../../src-main/core/datasets/progress';
import { sniffImageFormat } from '../../../src-main/core/datasets/sniff-format';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('mapOrdered', () => {
  it('yields in input order while running at most `concurrency` calls', async () => {
    let running = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const v of mapOrdered([30, 5, 20, 1, 10, 2], 3, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(ms);
      running--;
      return i;
    })) {
      out.push(v);
    }
    expect(out).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(3);
  });

  it('rethrows a failure in order and waits for running calls before returning', async () => {
    let finished = 0;
    const items = [1, 2, 3, 4];
    const run = async (): Promise<number[]> => {
      const out: number[] = [];
      for await (const v of mapOrdered(items, 4, async (n) => {
        await sleep(n * 5);
        finished++;
        if (n === 2) throw new Error('two');
        return n;
      })) {
        out.push(v);
      }
      return out;
    };
    await expect(run()).rejects.toThrow('two');
    expect(finished).toBe(4);
  });
});

describe('throttleProgress', () => {
  it('lets through phase changes always and other reports every interval', () => {
    let t = 0;
    const seen: ImportProgress[] = [];
    const report = throttleProgress((p) => seen.push(p), 100, () => t);
    const p = (phase: ImportProgress['phase'], done: number): ImportProgress => ({ phase, done, total: 10, rejected: 0, etaSeconds: null, perSecond: null });
    report(p('scanning', 0));
    report(p('decoding', 0));
    t = 50;
    report(p('decoding', 1));
    t = 100;
    report(p('decoding', 2));
    t = 120;
    report(p('writing', 0));
    report(p('done', 10));
    expect(seen.map((e) => `${e.phase}:${e.done}`)).toEqual(['scanning:0', 'decoding:0', 'decoding:2', 'writing:0', 'done:10']);
  });
});

describe('sniffImageFormat', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

  it('names image signatures and nothing else', () => {
    expect(sniffImageFormat(bytes([0x89], 'PNG', [13, 10, 26, 10]))).toBe('png');
    expect(sniffImageFormat(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageFormat(bytes('GIF89a'))).toBe('gif');
    expect(sniffImageFormat(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('webp');
    expect(sniffImageFormat(bytes('II', [42, 0]))).toBe('tiff');
    expect(sniffImageFormat(bytes([0, 0, 0, 28], 'ftypavif'))).toBe('avif');
    expect(sniffImageFormat(bytes([0, 0, 0, 28], 'ftypheic'))).toBe('heic');
    expect(sniffImageFormat(bytes('BM', new Array(12).fill(0), [40, 0]))).toBe('bmp');
    expect(sniffImageFormat(bytes('BMW was here, said the README'))).toBeNull();
    expect(sniffImageFormat(bytes('hello'))).toBeNull();
    expect(sniffImageFormat(new Uint8Array())).toBeNull();
  });
});

describe('ChannelStats', () => {
  it('computes per-channel mean and population std of interleaved pixels', () => {
    const s = new ChannelStats(3);
    s.add(Uint8Array.from([0, 10, 255, 100, 10, 255]));
    s.add(Uint8Array.from([200, 10, 255]));
    const { mean, std } = s.result();
    expect(mean).toEqual([100, 10, 255]);
    expect(std[0]).toBeCloseTo(Math.sqrt((100 ** 2 + 0 + 100 ** 2) / 3), 9);
    expect(std.slice(1)).toEqual([0, 0]);
    expect(new ChannelStats(1).result()).toEqual({ mean: [0], std: [0] });
  });
});

describe('rateClock', () => {
  it('estimates the rate and the time left once enough time has passed', () => {
    let t = 1000;
    const clock = rateClock(() => t);
    expect(clock(0, 100)).toEqual({ etaSeconds: null, perSecond: null });
    t += 100;
    expect(clock(5, 100)).toEqual({ etaSeconds: null, perSecond: null });
    t += 1900;
    expect(clock(50, 100)).toEqual({ perSecond: 25, etaSeconds: 2 });
    expect(clock(100, 100)).toEqual({ perSecond: 50, etaSeconds: 0 });
  });
});
