/** The preload script: exposes the bridge as `window.workbench`, and turns folder drops into a local event. */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge';

const bridge = createBridge(ipcRenderer);

// File paths exist only here (webUtils); the page gets the dropped folders' paths and nothing else.
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('drop', (e) => {
  e.preventDefault();
  const paths = [...(e.dataTransfer?.files ?? [])].map((f) => webUtils.getPathForFile(f)).filter((p) => p.length > 0);
  if (paths.length > 0) bridge.emit('ui.folderDropped', { paths });
});

contextBridge.exposeInMainWorld('workbench', bridge.api);
