/** The two IPC channels of the desktop app (kept free of imports so the preload bundle stays tiny). */
export const IPC_CALL_CHANNEL = 'workbench:call';
export const IPC_EVENT_CHANNEL = 'workbench:event';
