import { useEffect, useState } from 'react';
import { ThroughputChart } from '../components/ThroughputChart';
import { formatDateTime, formatDuration, syncKindName, systemName } from '../format';
import { useLang, useT } from '../i18n';
import { useApp } from '../store/app';
import {
  loadAll,
  loadHistory,
  pauseSync,
  progressFraction,
  resend,
  resumeSync,
  syncNow,
  syncPhase,
  totals,
  useSync,
} from '../store/sync';

function json(v: unknown): string {
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}

function Progress() {
  const t = useT();
  const lang = useLang();
  const progress = useSync((s) => s.progress);
  const busy = useSync((s) => s.busy);
  const connectivity = useApp((s) => s.status?.connectivity);
  if (!progress) return null;
  const phase = syncPhase(progress, connectivity);
  // The bar is about what can move now; items held for an unreachable target are said separately.
  const total = progress.done + phase.moving;
  const fraction = progressFraction({ done: progress.done, remaining: phase.moving });
  return (
    <section className="sync-progress">
      <div className="sync-controls">
        <button type="button" className="btn btn-primary" data-testid="sync-now" disabled={busy || progress.paused} onClick={() => void syncNow()}>
          {t('sync.now')}
        </button>
        {progress.paused ? (
          <button type="button" className="btn" data-testid="sync-resume" disabled={busy} onClick={() => void resumeSync()}>
            {t('sync.resume')}
          </button>
        ) : (
          <button type="button" className="btn" data-testid="sync-pause" disabled={busy} onClick={() => void pauseSync()}>
            {t('sync.pause')}
          </button>
        )}
        <span className="sync-state" data-testid="sync-state" data-paused={progress.paused} data-draining={progress.draining}>
          {progress.paused ? t('sync.paused') : progress.remaining === 0 ? t('sync.idle') : t('sync.remaining', { n: progress.remaining })}
        </span>
      </div>
      {phase.waiting.map((w) => (
        <div className="sync-waiting" key={w.target} data-testid="sync-waiting" data-target={w.target} role="status">
          {t('sync.waiting', { target: systemName(w.target, lang), n: w.n })}
        </div>
      ))}
      {(phase.moving > 0 || (progress.draining && phase.waiting.length === 0)) && (
        <div className="progress" data-testid="sync-progress">
          <div
            className={progress.paused ? 'progress-bar paused' : 'progress-bar'}
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={progress.done}
            data-testid="sync-progress-bar"
          >
            <div className="progress-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
          </div>
          <div className="progress-text">
            <span data-testid="sync-progress-text">{t('sync.draining', { done: progress.done, total })}</span>
            {phase.showEta && progress.etaSeconds !== null && (
              <span data-testid="sync-eta">{t('sync.eta', { eta: formatDuration(progress.etaSeconds, lang) })}</span>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function Counts() {
  const t = useT();
  const lang = useLang();
  const progress = useSync((s) => s.progress);
  if (!progress) return null;
  const sum = totals(progress);
  return (
    <table className="data-table counts" data-testid="sync-counts">
      <thead>
        <tr>
          <th>{t('sync.target')}</th>
          <th className="num">{t('sync.pending')}</th>
          <th className="num">{t('sync.inFlight')}</th>
          <th className="num">{t('sync.failed')}</th>
          <th className="num">{t('sync.sent')}</th>
        </tr>
      </thead>
      <tbody>
        {progress.perTarget.map((c) => (
          <tr key={c.target} data-testid={`sync-target-${c.target}`}>
            <th scope="row" title={c.target}>
              {systemName(c.target, lang)}
            </th>
            <td className="num" data-testid={`sync-count-${c.target}-pending`}>
              {c.pending}
            </td>
            <td className="num" data-testid={`sync-count-${c.target}-inFlight`}>
              {c.inFlight}
            </td>
            <td className={c.failed > 0 ? 'num bad' : 'num'} data-testid={`sync-count-${c.target}-failed`}>
              {c.failed}
            </td>
            <td className="num" data-testid={`sync-count-${c.target}-sent`}>
              {c.sent}
            </td>
          </tr>
        ))}
      </tbody>
      {progress.perTarget.length > 1 && (
        <tfoot>
          <tr>
            <th scope="row">Σ</th>
            <td className="num" data-testid="sync-count-total-pending">
              {sum.pending}
            </td>
            <td className="num">{sum.inFlight}</td>
            <td className="num" data-testid="sync-count-total-failed">
              {sum.failed}
            </td>
            <td className="num" data-testid="sync-count-total-sent">
              {sum.sent}
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

function FailedItems() {
  const t = useT();
  const lang = useLang();
  const failed = useSync((s) => s.failed);
  const busy = useSync((s) => s.busy);
  const requeued = useSync((s) => s.requeued);
  return (
    <section className="sync-failed" aria-labelledby="failed-title">
      <div className="section-head">
        <h2 id="failed-title">
          {t('sync.failedItems')} {failed && failed.total > 0 ? `(${failed.total})` : ''}
        </h2>
        <button
          type="button"
          className="btn"
          data-testid="resend-all"
          disabled={busy || !failed || failed.total === 0}
          onClick={() => void resend('allFailed')}
        >
          {t('sync.resendAll')}
        </button>
        {requeued !== null && (
          <span className="muted" data-testid="resend-result" role="status">
            {t('sync.requeued', { n: requeued })}
          </span>
        )}
      </div>
      {!failed || failed.items.length === 0 ? (
        <p className="muted" data-testid="no-failed">
          {t('sync.noFailed')}
        </p>
      ) : (
        <ul className="failed-list">
          {failed.items.map((item) => (
            <li key={item.id} className="failed-item" data-testid="failed-item" data-id={item.id}>
              <div className="failed-head">
                <span className="tag" title={item.target}>
                  {systemName(item.target, lang)}
                </span>
                <span title={item.kind} data-kind={item.kind}>
                  {syncKindName(item.kind, lang)}
                </span>
                <span className="muted">{formatDateTime(item.createdAt)}</span>
                <span className="muted">{t('sync.attempts', { n: item.attempts })}</span>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="resend-item"
                  disabled={busy}
                  onClick={() => void resend([item.id])}
                >
                  {t('sync.resend')}
                </button>
              </div>
              <div className="failed-error" data-testid="failed-error">
                {item.lastError ?? '—'}
              </div>
              <details>
                <summary>{t('sync.payload')}</summary>
                <pre className="payload">{json(item.payload)}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function History() {
  const t = useT();
  const lang = useLang();
  const history = useSync((s) => s.history);
  const query = useSync((s) => s.historyQuery);
  const [text, setText] = useState(query.text);
  const [direction, setDirection] = useState<'' | 'sent' | 'received'>(query.direction ?? '');
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text !== query.text || (direction || null) !== query.direction) {
        void loadHistory({ text, direction: direction || null });
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [text, direction, query]);
  return (
    <section className="sync-history" aria-labelledby="history-title">
      <div className="section-head">
        <h2 id="history-title">{t('sync.history')}</h2>
        <input
          type="search"
          className="search"
          data-testid="history-search"
          placeholder={t('sync.search')}
          aria-label={t('sync.search')}
          value={text}
          onChange={(e) => setText(e.target.value.slice(0, 100))}
        />
        <select aria-label={t('sync.result')} data-testid="history-direction" value={direction} onChange={(e) => setDirection(e.target.value as '' | 'sent' | 'received')}>
          <option value="">{t('sync.direction.all')}</option>
          <option value="sent">{t('sync.direction.sent')}</option>
          <option value="received">{t('sync.direction.received')}</option>
        </select>
        {history && <span className="muted">{t('sync.total', { n: history.total })}</span>}
      </div>
      {!history || history.rows.length === 0 ? (
        <p className="muted">{t('sync.noHistory')}</p>
      ) : (
        <table className="data-table history" data-testid="history-table">
          <thead>
            <tr>
              <th>{t('sync.at')}</th>
              <th />
              <th>{t('sync.target')}</th>
              <th>{t('sync.kind')}</th>
              <th>{t('sync.summary')}</th>
              <th>{t('sync.result')}</th>
            </tr>
          </thead>
          <tbody>
            {history.rows.map((h) => (
              <tr key={h.id} data-testid="history-row">
                <td className="nowrap">{formatDateTime(h.at)}</td>
                <td>{h.direction === 'sent' ? '→' : '←'}</td>
                <td title={h.target}>{systemName(h.target, lang)}</td>
                <td title={h.kind} data-testid="history-kind" data-kind={h.kind}>
                  {syncKindName(h.kind, lang)}
                </td>
                <td>
                  <details>
                    <summary>{h.summary}</summary>
                    <pre className="payload">{json(h.payload)}</pre>
                  </details>
                </td>
                <td className={h.ok ? 'ok' : 'bad'}>{h.ok ? t('sync.ok') : `${t('sync.ng')}: ${h.error ?? ''}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function SyncScreen() {
  const t = useT();
  const throughput = useSync((s) => s.throughput);
  const error = useSync((s) => s.error);
  useEffect(() => {
    void loadAll();
    // The chart moves on even when nothing happens.
    const timer = setInterval(() => void loadAll(), 30_000);
    return () => clearInterval(timer);
  }, []);
  const sent = throughput?.reduce((a, b) => a + b.sent, 0) ?? 0;
  const failedN = throughput?.reduce((a, b) => a + b.failed, 0) ?? 0;
  return (
    <div className="sync">
      {error && (
        <div className="result-error" role="alert">
          {t('common.error', { message: error })}
        </div>
      )}
      <Progress />
      <div className="sync-grid">
        <Counts />
        <section className="sync-chart">
          <h2>{t('sync.throughput')}</h2>
          {throughput && (
            <ThroughputChart data={throughput} label={t('sync.throughput')} start={t('sync.chartStart')} end={t('sync.chartEnd')} />
          )}
          <div className="muted">{t('sync.throughputTotal', { sent, failed: failedN })}</div>
        </section>
      </div>
      <FailedItems />
      <History />
    </div>
  );
}
