import type { Throughput } from '../store/sync';

const W = 600;
const H = 120;
const PAD_L = 28;
const PAD_B = 18;

/** A bar per minute (sent stacked on failed), last hour, oldest on the left. Hand-written SVG; the axis ends are labelled by the caller (translated). */
export function ThroughputChart({ data, label, start, end }: { data: Throughput; label: string; start: string; end: string }) {
  const buckets = data.slice(-60);
  const max = Math.max(1, ...buckets.map((b) => b.sent + b.failed));
  const plotW = W - PAD_L;
  const plotH = H - PAD_B;
  const bw = plotW / Math.max(60, buckets.length);
  const y = (v: number): number => plotH - (v / max) * (plotH - 4);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} data-testid="throughput-chart" preserveAspectRatio="none">
      <line x1={PAD_L} y1={plotH} x2={W} y2={plotH} className="chart-axis" />
      <line x1={PAD_L} y1={y(max)} x2={W} y2={y(max)} className="chart-grid" />
      <text x={PAD_L - 4} y={y(max) + 4} className="chart-label" textAnchor="end">
        {max}
      </text>
      <text x={PAD_L - 4} y={plotH} className="chart-label" textAnchor="end">
        0
      </text>
      {buckets.map((b, i) => {
        const x = PAD_L + i * bw + 0.5;
        const sentTop = y(b.sent);
        const failedTop = y(b.sent + b.failed);
        return (
          <g key={b.minute}>
            <title>{`${b.minute.slice(11, 16)}  ✓${b.sent}  ✕${b.failed}`}</title>
            {b.sent > 0 && <rect x={x} y={sentTop} width={Math.max(1, bw - 1)} height={plotH - sentTop} className="chart-sent" />}
            {b.failed > 0 && <rect x={x} y={failedTop} width={Math.max(1, bw - 1)} height={sentTop - failedTop} className="chart-failed" />}
          </g>
        );
      })}
      <text x={PAD_L} y={H - 4} className="chart-label" data-testid="chart-start">
        {start}
      </text>
      <text x={W} y={H - 4} className="chart-label" textAnchor="end" data-testid="chart-end">
        {end}
      </text>
    </svg>
  );
}
