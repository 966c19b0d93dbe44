/** Registers the app:// scheme with Electron and serves it with the Electron-free handler of transport/app-protocol. */
import { protocol } from 'electron';
import { APP_SCHEME } from '../common/app-url';
import type { AppProtocolHandler } from '../transport/app-protocol';

/** Must run before the app is ready. Standard and secure: a real origin for the CSP's 'self'; no CORS bypass, no CSP bypass. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveAppScheme(handler: AppProtocolHandler): void {
  protocol.handle(APP_SCHEME, handler);
}
