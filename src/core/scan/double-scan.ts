/**
 * Collapses the same code scanned twice within a short window (a scanner that fires twice, a
 * cashier who scans again while the first answer is on the way).
 */
export function createDoubleScanFilter(windowMs: number) {
  const last = new Map<string, number>();
  return {
    /** True when `code` was already seen within the window before `atMs` (and so is a duplicate). */
    isDuplicate(code: string, atMs: number): boolean {
      const prev = last.get(code);
      last.set(code, atMs);
      if (last.size > 256) {
        for (const [k, t] of last) if (atMs - t > windowMs) last.delete(k);
      }
      return prev !== undefined && atMs - prev >= 0 && atMs - prev < windowMs;
    },
    reset() {
      last.clear();
    },
  };
}
