import { useCallback, useEffect, useRef, useState } from 'react';
import type { RedemptionLogEntry } from '../../shared/contract';
import { api, errorMessage } from '../api';
import { formatCode, formatDateTime, formatYen, reasonText } from '../format';
import { useLang, useT } from '../i18n';
import { LOG_PAGE as PAGE, logQuery, type LogFilter, type Verdict } from '../logQuery';

/** Save text as a file through a temporary Blob link (no Node, no remote anything). */
function download(filename: string, text: string): void {
  const blob = new Blob([text], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function LogScreen() {
  const t = useT();
  const lang = useLang();
  const [filter, setFilter] = useState<LogFilter>({ text: '', verdict: '', from: '', to: '' });
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<{ total: number; rows: RedemptionLogEntry[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const seq = useRef(0);

  const load = useCallback(async (f: LogFilter, off: number) => {
    const mine = ++seq.current;
    try {
      const result = await api().call('redemption.log', logQuery(f, off));
      if (mine === seq.current) {
        setData(result);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => void load(filter, offset), 200);
    return () => clearTimeout(timer);
  }, [filter, offset, load]);

  const update = (patch: Partial<LogFilter>): void => {
    setFilter((f) => ({ ...f, ...patch }));
    setOffset(0);
  };

  const exportCsv = async (): Promise<void> => {
    try {
      const { filename, csv } = await api().call('redemption.exportCsv', { ...logQuery(filter, 0), limit: 1000 });
      download(filename, csv);
      setExported(filename);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div className="log">
      <form className="log-filter" onSubmit={(e) => e.preventDefault()}>
        <input
          type="search"
          className="search"
          data-testid="log-search"
          placeholder={t('log.search')}
          aria-label={t('log.search')}
          value={filter.text}
          maxLength={100}
          onChange={(e) => update({ text: e.target.value })}
        />
        <label>
          {t('log.verdict')}{' '}
          <select data-testid="log-verdict" value={filter.verdict} onChange={(e) => update({ verdict: e.target.value as Verdict | '' })}>
            <option value="">{t('log.verdict.all')}</option>
            <option value="ok">{t('verdict.ok')}</option>
            <option value="rejected">{t('verdict.rejected')}</option>
            <option value="blocked">{t('verdict.blocked')}</option>
          </select>
        </label>
        <label>
          {t('log.from')} <input type="date" data-testid="log-from" value={filter.from} onChange={(e) => update({ from: e.target.value })} />
        </label>
        <label>
          {t('log.to')} <input type="date" data-testid="log-to" value={filter.to} onChange={(e) => update({ to: e.target.value })} />
        </label>
        <button type="button" className="btn btn-primary" data-testid="log-export" onClick={() => void exportCsv()}>
          {t('log.export')}
        </button>
        {exported && (
          <span className="muted" data-testid="log-exported" role="status">
            {t('log.exported', { filename: exported })}
          </span>
        )}
      </form>
      {error && (
        <div className="result-error" role="alert">
          {t('common.error', { message: error })}
        </div>
      )}
      {data && data.rows.length === 0 && <p className="muted">{t('log.empty')}</p>}
      {data && data.rows.length > 0 && (
        <>
          <table className="data-table log-table" data-testid="log-table">
            <thead>
              <tr>
                <th>{t('log.at')}</th>
                <th>{t('log.source')}</th>
                <th>{t('log.code')}</th>
                <th>{t('log.kind')}</th>
                <th>{t('log.coupon')}</th>
                <th>{t('log.status')}</th>
                <th>{t('log.reason')}</th>
                <th className="num">{t('log.discount')}</th>
                <th className="num">{t('log.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id} data-testid="log-row" data-verdict={r.verdict}>
                  <td className="nowrap">{formatDateTime(r.at)}</td>
                  <td className="nowrap-cell">{t(`source.${r.source}`)}</td>
                  <td className="mono">{formatCode(r.normalized || r.raw)}</td>
                  <td className="nowrap-cell">{t(`kind.${r.kind}`)}</td>
                  <td>{r.couponName ?? '—'}</td>
                  <td className={`status-cell nowrap-cell status-${r.status ?? r.verdict}`}>
                    {r.status ? t(`redemptionStatus.${r.status}`) : t(`verdict.${r.verdict}`)}
                  </td>
                  <td>{r.reason ? reasonText(r.reason, lang) : '—'}</td>
                  <td className="num nowrap-cell">{r.discountYen !== null ? formatYen(r.discountYen, lang) : '—'}</td>
                  <td className="num nowrap-cell">{r.amountYen !== null ? formatYen(r.amountYen, lang) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" className="btn" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('log.prev')}
            </button>
            <span className="muted" data-testid="log-total">
              {offset + 1}–{offset + data.rows.length} / {t('log.total', { n: data.total })}
            </span>
            <button type="button" className="btn" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
              {t('log.next')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
