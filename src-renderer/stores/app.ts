/** App-wide state: what the server says about itself and its compute backend, the UI language, and passing notices. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ResponseOf } from '@common/contract';
import { isLocale, type Locale } from '../i18n/locales';
import { messageOf, useClient } from './client';

export type AppInfo = ResponseOf<'app.info'>;
export type BackendReport = ResponseOf<'system.backend'>;

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

const LOCALE_KEY = 'workbench.locale';

/** Browser globals seen loosely, so the store also runs (and type-checks) where they are missing. */
const env = globalThis as {
  localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  navigator?: { language?: string };
};

function savedLocale(): Locale {
  try {
    const saved = env.localStorage?.getItem(LOCALE_KEY);
    if (isLocale(saved)) return saved;
  } catch {
    // Storage can be unavailable (privacy mode, tests); the default is fine.
  }
  const nav = env.navigator?.language ?? '';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const useAppStore = defineStore('app', () => {
  const client = useClient();

  const info = ref<AppInfo | null>(null);
  const infoError = ref<string | null>(null);
  const locale = ref<Locale>(savedLocale());
  const notices = ref<Notice[]>([]);
  let nextNoticeId = 1;
  const backend = ref<BackendReport | null>(null);
  const backendError = ref<string | null>(null);
  const backendLoading = ref(false);

  async function loadInfo(): Promise<AppInfo | null> {
    try {
      info.value = await client.call('app.info');
      infoError.value = null;
    } catch (e) {
      infoError.value = messageOf(e);
    }
    return info.value;
  }

  /** Which compute backend and GPU a trainer gets (a short-lived trainer process answers: seconds, not ms). */
  async function loadBackend(): Promise<BackendReport | null> {
    backendLoading.value = true;
    try {
      backend.value = await client.call('system.backend');
      backendError.value = null;
    } catch (e) {
      backendError.value = messageOf(e);
    } finally {
      backendLoading.value = false;
    }
    return backend.value;
  }

  function setLocale(next: Locale): void {
    locale.value = next;
    try {
      env.localStorage?.setItem(LOCALE_KEY, next);
    } catch {
      // Not saved; the choice still holds for this session.
    }
  }

  function notify(kind: Notice['kind'], text: string, timeoutMs = 8000): number {
    const id = nextNoticeId++;
    notices.value.push({ id, kind, text });
    if (timeoutMs > 0) setTimeout(() => dismiss(id), timeoutMs);
    return id;
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  /** URL the page can load for a file under the data directory (sample grids, dataset previews). */
  function fileUrl(relativePath: string): string {
    return client.fileUrl(relativePath);
  }

  return { info, infoError, locale, notices, backend, backendError, backendLoading, loadInfo, loadBackend, setLocale, notify, dismiss, fileUrl };
});
