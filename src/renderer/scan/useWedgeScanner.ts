import { useEffect, useRef } from 'react';
import type { WedgeSettings } from '../../shared/contract/settings';
import { createWedgeDetector } from './wedge';
import { createWedgeController, type FieldLike } from './wedgeController';

const TEXT_TYPES = new Set(['text', 'search', 'tel', 'number', 'password', 'email', 'url', '']);

function focusedTextField(): (HTMLInputElement | HTMLTextAreaElement) | null {
  const el = document.activeElement;
  if (el instanceof HTMLTextAreaElement) return el;
  if (el instanceof HTMLInputElement && TEXT_TYPES.has(el.type)) return el;
  return null;
}

/** Set a (React-controlled) field's value the way typing does, so React's onChange sees it. */
function restoreField(field: FieldLike, value: string, start: number | null, end: number | null): void {
  const el = field as HTMLInputElement | HTMLTextAreaElement;
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (setter) setter.call(el, value);
  else el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  if (start !== null && end !== null && document.activeElement === el) {
    try {
      el.setSelectionRange(start, end);
    } catch {
      /* number inputs have no selection */
    }
  }
}

/**
 * Keyboard-wedge scanning for the whole window: every keydown goes to the detector first (capture
 * phase); a recognised scan is removed from whatever field it was typed into and handed to `onScan`.
 */
export function useWedgeScanner(
  onScan: (text: string) => void,
  config: { wedge: WedgeSettings; layout: 'us' | 'jis' } | null,
): void {
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  const key = config ? JSON.stringify(config) : '';

  useEffect(() => {
    if (!config) return;
    const controller = createWedgeController(createWedgeDetector(config.wedge, config.layout), {
      maxGapMs: config.wedge.maxGapMs,
      focusedField: focusedTextField,
      restore: restoreField,
      onScan: (text) => onScanRef.current(text),
    });
    const handler = (e: KeyboardEvent): void => {
      controller.onKeyDown(e);
    };
    window.addEventListener('keydown', handler, true);
    return () => window.removeEventListener('keydown', handler, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
}
