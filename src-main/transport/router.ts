/** The router: validates every request against the contract, dispatches it, and turns failures into typed errors. */
import { ZodError } from 'zod';
import { isMethodName, methods, type CallResult, type Handlers, type MethodName } from '../common/contract';
import { WorkbenchError, issuesOf } from '../common/errors';

export interface Router {
  /** Answers anything a transport hands it, whatever its type; it never rejects. */
  dispatch(method: unknown, payload: unknown): Promise<CallResult>;
}

export interface RouterOptions {
  /** Called with failures that are not WorkbenchErrors: bugs, which the caller sees as INTERNAL. */
  onInternalError?: (method: string, error: unknown) => void;
}

/** Enough issues to fix a request by hand; a request with thousands of bad fields does not get them all back. */
const MAX_ISSUES = 20;
const MAX_ECHO = 200;

export function createRouter(handlers: Handlers, opts: RouterOptions = {}): Router {
  async function dispatch(method: unknown, payload: unknown): Promise<CallResult> {
    if (typeof method !== 'string') return failure(new WorkbenchError('UNKNOWN_METHOD', `the method must be a string, not ${kindOf(method)}`));
    if (!isMethodName(method)) return failure(new WorkbenchError('UNKNOWN_METHOD', `unknown method: ${clip(method)}`));
    // Left out or null means "no parameters"; anything else that is not an object is a mistake worth naming.
    if (payload !== undefined && payload !== null && kindOf(payload) !== 'an object') {
      return failure(new WorkbenchError('INVALID_REQUEST', `invalid ${method} request: the payload must be an object, not ${kindOf(payload)}`));
    }
    const spec = methods[method];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issues = issuesOf(parsed.error)
        .slice(0, MAX_ISSUES)
        .map((i) => ({ path: clip(i.path), message: clip(i.message) }));
      const first = issues[0];
      return failure(
        new WorkbenchError('INVALID_REQUEST', `invalid ${method} request: ${first ? `${first.path}: ${first.message}` : 'rejected'}`, { issues }),
      );
    }
    try {
      const handler = handlers[method as MethodName] as (req: unknown) => unknown;
      const result = await handler(parsed.data);
      return { ok: true, result: spec.response.parse(result) };
    } catch (error) {
      if (error instanceof WorkbenchError) return failure(error);
      opts.onInternalError?.(method, error);
      const message = error instanceof ZodError ? 'the service returned data outside the contract' : 'internal error';
      return failure(new WorkbenchError('INTERNAL', `${method} failed: ${message}`));
    }
  }

  return {
    async dispatch(method, payload) {
      try {
        return await dispatch(method, payload);
      } catch (error) {
        // Only a bug here (a throwing logger, a validator that throws) gets this far; the caller still gets an answer.
        try {
          opts.onInternalError?.(typeof method === 'string' ? clip(method) : '(no method)', error);
        } catch {
          /* the answer below matters more than the log line */
        }
        return failure(new WorkbenchError('INTERNAL', 'internal error'));
      }
    },
  };
}

/** A failed call as it crosses a transport. */
export function failure(error: WorkbenchError): CallResult {
  return { ok: false, error: error.toShape() };
}

/** "an object", "an array", "null", "a string"…: for messages about what a client sent. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'undefined' ? 'an' : 'a'} ${typeof value}`;
}

function clip(text: string): string {
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
}
