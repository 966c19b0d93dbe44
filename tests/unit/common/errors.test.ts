/** The error that crosses the API: its catalogue of codes, the shape the router sends, and the dotted field paths of a refusal. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiErrorShape, ErrorCode, WorkbenchError, issuesOf } from '../../../src-main/common/errors';

/** Every code the sources raise as `new WorkbenchError('CODE'` or `new ApiError('CODE'`. */
function raisedCodes(dir: string, found = new Set<string>()): Set<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) raisedCodes(path, found);
    else if (/\.(ts|vue)$/.test(entry.name)) {
      for (const m of readFileSync(path, 'utf8').matchAll(/(?:WorkbenchError|ApiError)\(\s*['"]([A-Z_]+)['"]/g)) found.add(m[1]!);
    }
  }
  return found;
}

describe('ErrorCode', () => {
  it('is exactly the codes the workbench raises, so a client can tell every failure apart', () => {
    const root = resolve(import.meta.dirname, '../../..');
    const raised = new Set([...raisedCodes(join(root, 'src-main')), ...raisedCodes(join(root, 'src-renderer'))]);
    expect([...raised].sort()).toEqual([...ErrorCode.options].sort());
  });
});

describe('WorkbenchError', () => {
  it('is an Error named WorkbenchError with its code and message', () => {
    const e = new WorkbenchError('NOT_FOUND', 'no run run-0001');
    expect(e).toBeInstanceOf(Error);
    expect(String(e)).toBe('WorkbenchError: no run run-0001');
    expect(e.code).toBe('NOT_FOUND');
  });

  it('crosses the API as code and message, with details only when it has some', () => {
    const bare = new WorkbenchError('CONFLICT', 'the run is training').toShape();
    expect(bare).toStrictEqual({ code: 'CONFLICT', message: 'the run is training' });
    expect('details' in bare).toBe(false);
    const details = { bytesNeeded: 2 ** 30, bytesFree: 2 ** 20 };
    expect(new WorkbenchError('NO_SPACE', 'not enough space', details).toShape()).toStrictEqual({ code: 'NO_SPACE', message: 'not enough space', details });
    // null is a value a service chose to send, unlike undefined.
    expect(new WorkbenchError('INTERNAL', 'x', null).toShape()).toStrictEqual({ code: 'INTERNAL', message: 'x', details: null });
  });

  it('has a shape the published schema accepts unchanged', () => {
    const shape = new WorkbenchError('INVALID_REQUEST', 'bad', { issues: [{ path: 'size', message: 'too small' }] }).toShape();
    expect(ApiErrorShape.parse(shape)).toStrictEqual(shape);
    expect(ApiErrorShape.safeParse({ code: 'TEAPOT', message: 'x' }).success).toBe(false);
  });
});

describe('issuesOf', () => {
  const Request = z.object({ config: z.object({ model: z.object({ depth: z.number().int() }) }), tags: z.array(z.string()) });

  it('names each bad field by its dotted path, array indices included', () => {
    const r = Request.safeParse({ config: { model: { depth: 2.5 } }, tags: ['a', 3] });
    expect(issuesOf(r.error!).map((i) => i.path)).toEqual(['config.model.depth', 'tags.1']);
    expect(issuesOf(r.error!)[1]!.message).toBe('Invalid input: expected string, received number');
  });

  it('names a refusal of the whole value (root)', () => {
    expect(issuesOf(Request.safeParse(7).error!)).toEqual([{ path: '(root)', message: 'Invalid input: expected object, received number' }]);
  });
});
