import { create } from 'zustand';
import type { ConnState, HistoryEntry, OutboxItem, Result, SyncProgress } from '../../shared/contract';
import { api, errorMessage } from '../api';

export type Throughput = Result<'sync.throughput'>;

export interface HistoryQuery {
  text: string;
  direction: 'sent' | 'received' | null;
}

export interface SyncState {
  progress: SyncProgress | null;
  failed: { total: number; items: OutboxItem[] } | null;
  history: { total: number; rows: HistoryEntry[] } | null;
  historyQuery: HistoryQuery;
  throughput: Throughput | null;
  /** Items sent back to the queue by the last resend. */
  requeued: number | null;
  busy: boolean;
  error: string | null;
}

export const useSync = create<SyncState>()(() => ({
  progress: null,
  failed: null,
  history: null,
  historyQuery: { text: '', direction: null },
  throughput: null,
  requeued: null,
  busy: false,
  error: null,
}));

const set = useSync.setState;
const get = useSync.getState;

/** Share of the current backlog delivered, 0..1 (1 when nothing is left). */
export function progressFraction(p: Pick<SyncProgress, 'done' | 'remaining'>): number {
  const total = p.done + p.remaining;
  if (total <= 0) return 1;
  return Math.min(1, Math.max(0, p.done / total));
}

export interface SyncPhase {
  /** Targets holding items because they cannot be reached now (status.connectivity says offline). */
  waiting: { target: string; n: number }[];
  /** Items that can move now: the progress bar is about these. */
  moving: number;
  /** An ETA means something only once items are actually being delivered. */
  showEta: boolean;
}

/** What the sync screen says about the backlog: waiting for an unreachable target, or delivering. */
export function syncPhase(p: SyncProgress, connectivity: Readonly<Record<string, ConnState>> | undefined): SyncPhase {
  const waiting = p.perTarget
    .filter((t) => connectivity?.[t.target] === 'offline' && t.pending + t.inFlight > 0)
    .map((t) => ({ target: t.target, n: t.pending + t.inFlight }));
  const held = waiting.reduce((a, w) => a + w.n, 0);
  const moving = Math.max(0, p.remaining - held);
  return { waiting, moving, showEta: !p.paused && moving > 0 && p.done > 0 && p.etaSeconds !== null };
}

export function totals(p: SyncProgress): { pending: number; failed: number; sent: number; inFlight: number } {
  return p.perTarget.reduce(
    (a, t) => ({ pending: a.pending + t.pending, failed: a.failed + t.failed, sent: a.sent + t.sent, inFlight: a.inFlight + t.inFlight }),
    { pending: 0, failed: 0, sent: 0, inFlight: 0 },
  );
}

async function guarded(job: () => Promise<void>): Promise<void> {
  try {
    await job();
    set({ error: null });
  } catch (e) {
    set({ error: errorMessage(e) });
  }
}

export function loadProgress(): Promise<void> {
  return guarded(async () => set({ progress: await api().call('sync.progress', {}) }));
}

export function loadFailed(): Promise<void> {
  return guarded(async () => set({ failed: await api().call('outbox.list', { state: 'failed', limit: 200 }) }));
}

export function loadHistory(query: HistoryQuery = get().historyQuery): Promise<void> {
  set({ historyQuery: query });
  return guarded(async () => {
    const history = await api().call('sync.history', { text: query.text, direction: query.direction, limit: 100 });
    // Only the answer to the newest query counts.
    if (get().historyQuery === query) set({ history });
  });
}

export function loadThroughput(): Promise<void> {
  return guarded(async () => set({ throughput: await api().call('sync.throughput', {}) }));
}

export async function loadAll(): Promise<void> {
  await Promise.all([loadProgress(), loadFailed(), loadHistory(), loadThroughput()]);
}

async function control(method: 'sync.now' | 'sync.pause' | 'sync.resume'): Promise<void> {
  set({ busy: true });
  await guarded(async () => set({ progress: await api().call(method, {}) }));
  set({ busy: false });
}

export const syncNow = (): Promise<void> => control('sync.now');
export const pauseSync = (): Promise<void> => control('sync.pause');
export const resumeSync = (): Promise<void> => control('sync.resume');

export async function resend(ids: string[] | 'allFailed'): Promise<void> {
  set({ busy: true });
  await guarded(async () => {
    const r = await api().call('outbox.resend', ids === 'allFailed' ? { allFailed: true } : { ids });
    set({ requeued: r.requeued });
  });
  set({ busy: false });
  await Promise.all([loadFailed(), loadProgress()]);
}

let lastDetailLoad = 0;
let detailTimer: ReturnType<typeof setTimeout> | null = null;
const DETAIL_INTERVAL_MS = 1_500;

/**
 * A `sync.progress` event: the counts and bar update at once; the lists and chart (several calls)
 * are reloaded at most every 1.5 s while the sync screen is open.
 */
export function onProgressEvent(progress: SyncProgress, screenOpen: boolean): void {
  set({ progress });
  if (!screenOpen) return;
  const now = Date.now();
  const wait = Math.max(0, lastDetailLoad + DETAIL_INTERVAL_MS - now);
  if (detailTimer) return;
  detailTimer = setTimeout(() => {
    detailTimer = null;
    lastDetailLoad = Date.now();
    void Promise.all([loadFailed(), loadHistory(), loadThroughput()]);
  }, wait);
}
