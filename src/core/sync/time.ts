/** Smaregi datetimes: `YYYY-MM-DDThh:mm:ss+09:00` (JST); the `+` is percent-encoded by the client. */
const JST_OFFSET_MS = 9 * 3600_000;

export function formatJst(ms: number): string {
  const t = new Date(Math.floor(ms / 1000) * 1000 + JST_OFFSET_MS);
  return `${t.toISOString().slice(0, 19)}+09:00`;
}
