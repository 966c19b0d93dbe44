/** Where data lives when no --data-dir is given: the same folder Electron uses as the app's userData. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'gan-workbench';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WORKBENCH_DATA_DIR) return env.WORKBENCH_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}
