import { SIM_CREDENTIALS } from '../../src/sim/credentials';

export const SMAREGI = SIM_CREDENTIALS.smaregi;
export const GIFTEE_TOKEN = SIM_CREDENTIALS.giftee.accessToken;

export const ALL_SCOPES = [
  'pos.stores:read',
  'pos.products:read',
  'pos.stock:read',
  'pos.stock:write',
  'pos.transactions:read',
  'pos.transactions:write',
].join(' ');

export function basic(id: string = SMAREGI.clientId, secret: string = SMAREGI.clientSecret): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function getToken(base: string, scope = ALL_SCOPES): Promise<string> {
  const r = await fetch(`${base}/app/${SMAREGI.contractId}/token`, {
    method: 'POST',
    headers: { authorization: basic(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { access_token: string }).access_token;
}

/** A small JSON client for a Smaregi sim: `api(path)` is relative to `/{contractId}/pos`. */
export function smaregiClient(base: string, token: string) {
  return async (
    path: string,
    init: { method?: string; body?: unknown; query?: Record<string, string> } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> => {
    const qs = init.query ? `?${new URLSearchParams(init.query).toString()}` : '';
    const r = await fetch(`${base}/${SMAREGI.contractId}/pos${path}${qs}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined, headers: r.headers };
  };
}

export async function json(r: Response): Promise<any> {
  return JSON.parse(await r.text());
}

export async function post(url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A valid sale body for the demo seed (store 1, product 1001 ×2 at 1280). */
export function saleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    transactionHeadDivision: '1',
    storeId: '1',
    terminalId: '1',
    terminalTranId: 'T0001',
    terminalTranDateTime: '2026-03-01T10:00:00+09:00',
    subtotal: '2560',
    total: '2560',
    details: [
      { transactionDetailId: '1', transactionDetailDivision: '1', productId: '1001', salesPrice: '1280', quantity: '2' },
    ],
    ...overrides,
  };
}
