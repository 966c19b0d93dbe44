/** What the typed client needs from a transport: a call, an event subscription and file URLs. */
export interface Transport {
  call(method: string, payload: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** URL the page can load for a file stored under the data directory (relative path). */
  fileUrl(relativePath: string): string;
  /**
   * Sends one file of a browser upload session (serve mode only; the desktop reads folders by path).
   * `tooLarge` sends no body and tells the server the file was skipped for its size, so the import lists it.
   */
  upload?(session: string, path: string, file: Blob | null, opts?: { signal?: AbortSignal; tooLarge?: number }): Promise<void>;
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
