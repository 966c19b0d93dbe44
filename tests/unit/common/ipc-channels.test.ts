/** The desktop app's two IPC channels, named under workbench: so that no Electron or library channel collides with them. */
import { describe, expect, it } from 'vitest';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../../src-main/common/ipc-channels';

describe('IPC channels', () => {
  it('are workbench:call for calls and workbench:event for events', () => {
    expect(IPC_CALL_CHANNEL).toBe('workbench:call');
    expect(IPC_EVENT_CHANNEL).toBe('workbench:event');
  });
});
