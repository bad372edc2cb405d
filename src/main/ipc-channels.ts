/** IPC channel names, shared by the shell (ipc.ts) and the preload. No electron import. */
export const INVOKE_CHANNEL = 'rc:invoke';
export const EVENT_CHANNEL = 'rc:event';
