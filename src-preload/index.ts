/** The preload bridge: exposes only `call` and `on`, and turns folder drops into a local event. */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_CALL_CHANNEL as CALL, IPC_EVENT_CHANNEL as EVENT } from '../src-main/common/ipc-channels';
type Listener = (payload: unknown) => void;

const listeners = new Map<string, Set<Listener>>();
function dispatch(event: string, payload: unknown) {
  listeners.get(event)?.forEach((l) => l(payload));
}

ipcRenderer.on(EVENT, (_e, message: { event: string; payload: unknown }) => dispatch(message.event, message.payload));

// File paths exist only here (webUtils); the page gets the dropped folders' paths and nothing else.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  const paths = [...(e.dataTransfer?.files ?? [])].map((f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0);
  if (paths.length > 0) dispatch('ui.folderDropped', { paths });
});

contextBridge.exposeInMainWorld('workbench', {
  call: (method: string, payload: unknown) => ipcRenderer.invoke(CALL, String(method), payload),
  on: (event: string, listener: Listener) => {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
});
