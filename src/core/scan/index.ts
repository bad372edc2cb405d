import type { EngineStatus } from '../../shared/contract/status';
import type { EngineContext, EngineModule } from '../context';

// PLACEHOLDER — the scanning work replaces this (node-hid devices, decoding, hot-plug).
export interface Scanner extends EngineModule {
  status(): EngineStatus['scanner'];
}

export function createScanner(_ctx: EngineContext): Scanner {
  return { name: 'scanner', status: () => ({ state: 'none', device: null, message: null }), handlers: { 'scanner.devices': () => [] } };
}
