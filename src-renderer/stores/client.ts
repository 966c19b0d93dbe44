/** How stores reach the API client: provided once on the app (main.ts), injected in store setup. */
import { inject, type App, type InjectionKey } from 'vue';
import type { WorkbenchClient } from '@common/client/client';
import { ApiError } from '@common/client/transport-port';

export const CLIENT_KEY: InjectionKey<WorkbenchClient> = Symbol('workbench-client');

/** Provides the client to the app and so to every store created under its Pinia. */
export function provideClient(app: App, client: WorkbenchClient): void {
  app.provide(CLIENT_KEY, client);
}

/** The client inside a store's setup; Pinia runs setup in the app's injection context. */
export function useClient(): WorkbenchClient {
  const client = inject(CLIENT_KEY, null);
  if (!client) throw new Error('no WorkbenchClient provided: call provideClient(app, client) before using stores');
  return client;
}

/** A readable message from anything a call may reject with. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A field the API refused, by its dotted path in the request, with the reason. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The fields a refusal names: the contract's and the services' `details.issues`, or a single `details.field` with the error's message. */
export function fieldIssuesOf(error: unknown): FieldIssue[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details as { issues?: unknown; field?: unknown } | undefined;
  if (Array.isArray(details?.issues)) return details.issues as FieldIssue[];
  return typeof details?.field === 'string' ? [{ path: details.field, message: error.message }] : [];
}
