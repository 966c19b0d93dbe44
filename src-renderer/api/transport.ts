/** What the typed client needs from a transport: a call, an event subscription and file URLs. */
export interface Transport {
  call(method: string, payload: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** URL the page can load for a file stored under the data directory (relative path). */
  fileUrl(relativePath: string): string;
}

/** The error a failed call rejects with: the router's `{ code, message, details }`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
