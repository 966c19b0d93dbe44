/** The router: validates every request against the contract, dispatches it, and turns failures into typed errors. */
import { ZodError } from 'zod';
import { isMethodName, methods, type CallResult, type Handlers, type MethodName } from '../common/contract';
import { WorkbenchError, issuesOf } from '../common/errors';

export interface Router {
  dispatch(method: string, payload: unknown): Promise<CallResult>;
}

export interface RouterOptions {
  /** Called with failures that are not WorkbenchErrors: bugs, which the caller sees as INTERNAL. */
  onInternalError?: (method: string, error: unknown) => void;
}

export function createRouter(handlers: Handlers, opts: RouterOptions = {}): Router {
  return {
    async dispatch(method, payload) {
      if (typeof method !== 'string' || !isMethodName(method)) {
        return fail(new WorkbenchError('UNKNOWN_METHOD', `unknown method: ${String(method)}`));
      }
      const spec = methods[method];
      const parsed = spec.request.safeParse(payload ?? {});
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        const first = issues[0];
        return fail(
          new WorkbenchError(
            'INVALID_REQUEST',
            `invalid ${method} request: ${first ? `${first.path}: ${first.message}` : 'rejected'}`,
            { issues },
          ),
        );
      }
      try {
        const handler = handlers[method as MethodName] as (req: unknown) => unknown;
        const result = await handler(parsed.data);
        return { ok: true, result: spec.response.parse(result) };
      } catch (error) {
        if (error instanceof WorkbenchError) return fail(error);
        opts.onInternalError?.(method, error);
        const message = error instanceof ZodError ? 'the service returned data outside the contract' : 'internal error';
        return fail(new WorkbenchError('INTERNAL', `${method} failed: ${message}`));
      }
    },
  };
}

function fail(error: WorkbenchError): CallResult {
  return { ok: false, error: error.toShape() };
}
