import type { WedgeDetector, WedgeKey, WedgeStep } from './wedge';

/** A text field as far as the wedge cares: its value and caret. */
export interface FieldLike {
  value: string;
  selectionStart?: number | null;
  selectionEnd?: number | null;
}

export interface KeyEventLike extends WedgeKey {
  preventDefault(): void;
  stopPropagation(): void;
}

export interface WedgeControllerOptions {
  /** Gap after which the detector necessarily starts a new candidate (settings.scanner.wedge.maxGapMs). */
  maxGapMs: number;
  /** The focused text field, if any. */
  focusedField(): FieldLike | null;
  /** Put a field back to a value (and caret), in a way the UI framework notices. */
  restore(field: FieldLike, value: string, selectionStart: number | null, selectionEnd: number | null): void;
  onScan(text: string): void;
}

interface Snapshot {
  field: FieldLike | null;
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
}

/**
 * Drives a wedge detector from keydown events (fed in the capture phase, before any field sees them):
 * - when a candidate scan begins (a `pending` after `idle`, or after a gap the detector cannot bridge),
 *   the focused field's value is remembered;
 * - on `scan`, the terminator key is swallowed, that field gets its remembered value back (so the
 *   scanner's characters vanish from it, while anything typed elsewhere is left alone), and the text is
 *   handed on.
 */
export function createWedgeController(detector: WedgeDetector, options: WedgeControllerOptions) {
  let previous: WedgeStep['kind'] = 'idle';
  let lastTime = -Infinity;
  let snapshot: Snapshot | null = null;

  function takeSnapshot(): Snapshot {
    const field = options.focusedField();
    return {
      field,
      value: field?.value ?? '',
      selectionStart: field?.selectionStart ?? null,
      selectionEnd: field?.selectionEnd ?? null,
    };
  }

  return {
    onKeyDown(e: KeyEventLike): WedgeStep {
      const step = detector.feed({ code: e.code, key: e.key, shiftKey: e.shiftKey, timeStamp: e.timeStamp });
      const gap = e.timeStamp - lastTime;
      lastTime = e.timeStamp;
      if (step.kind === 'pending') {
        if (previous === 'idle' || snapshot === null || gap > options.maxGapMs) snapshot = takeSnapshot();
      } else if (step.kind === 'scan') {
        e.preventDefault();
        e.stopPropagation();
        const snap = snapshot;
        snapshot = null;
        if (snap?.field && snap.field.value !== snap.value) {
          options.restore(snap.field, snap.value, snap.selectionStart, snap.selectionEnd);
        }
        options.onScan(step.text);
      } else {
        snapshot = null;
      }
      previous = step.kind;
      return step;
    },
    reset(): void {
      detector.reset();
      previous = 'idle';
      snapshot = null;
      lastTime = -Infinity;
    },
  };
}

export type WedgeController = ReturnType<typeof createWedgeController>;
