import { randomBytes } from 'node:crypto';
import type { SimContext, SimReply, SimRequest, SimRoute } from '../framework/types';
import { Problem, problem } from './problem';
import type { SmaregiState } from './state';

/*
 * Client-credentials tokens (ID host) and the Bearer check every resource path goes through.
 * Scopes are enforced: a token only reaches endpoints its scopes cover (403 otherwise).
 */

const SCOPE_PATTERN = /^(openid|email|profile|offline_access|[a-z][a-z-]*\.[a-z][a-z-]*:(read|write))$/;

const oauthError = (status: number, error: string, description: string): SimReply => ({
  status,
  body: { error, error_description: description },
  headers: status === 401 ? { 'www-authenticate': 'Basic realm="smaregi"' } : undefined,
});

function parseBasic(header: string | undefined): { id: string; secret: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  return { id: decoded.slice(0, i), secret: decoded.slice(i + 1) };
}

export function tokenRoute(): SimRoute<SmaregiState> {
  return {
    method: 'POST',
    path: '/app/:contractId/token',
    handler: (req, { state, now }) => {
      if (req.params.contractId !== state.contractId) {
        return problem(404, `指定された契約IDが見つかりません (${req.params.contractId})`);
      }
      const client = parseBasic(req.headers.authorization);
      if (!client || client.id !== state.clientId || client.secret !== state.clientSecret) {
        return oauthError(401, 'invalid_client', 'Client authentication failed');
      }
      const ct = req.headers['content-type'] ?? '';
      if (!ct.toLowerCase().includes('application/x-www-form-urlencoded') || typeof req.body !== 'object' || !req.body) {
        return oauthError(400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
      }
      const form = req.body as Record<string, string>;
      if (form.grant_type !== 'client_credentials') {
        return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      }
      const scopes = (form.scope ?? '').split(' ').filter(Boolean);
      if (scopes.length === 0) return oauthError(400, 'invalid_scope', 'scope is required');
      const bad = scopes.find((s) => !SCOPE_PATTERN.test(s));
      if (bad) return oauthError(400, 'invalid_scope', `unknown scope: ${bad}`);
      const t = now();
      state.tokens = state.tokens.filter((tok) => tok.expiresAt > t);
      const accessToken = randomBytes(24).toString('hex');
      state.tokens.push({ accessToken, scopes, expiresAt: t + state.tokenTtlSeconds * 1000 });
      return {
        status: 200,
        headers: { 'cache-control': 'no-store' },
        body: { access_token: accessToken, token_type: 'Bearer', expires_in: state.tokenTtlSeconds, scope: scopes.join(' ') },
      };
    },
  };
}

type ApiHandler = (req: SimRequest, ctx: SimContext<SmaregiState>) => SimReply;

/**
 * A resource route under `/{contractId}/pos`: checks the Bearer token (401), that it was issued for
 * this contract (401), that its scopes include one of `scopes` (403), then runs the handler and
 * turns a thrown `Problem` into a problem answer.
 */
export function api(
  method: SimRoute<SmaregiState>['method'],
  subpath: string,
  scopes: string[],
  handler: ApiHandler,
): SimRoute<SmaregiState> {
  return {
    method,
    path: `/:contractId/pos${subpath}`,
    handler: (req, ctx) => {
      const unauthorized = (detail: string) =>
        problem(401, detail, { 'www-authenticate': 'Bearer error="invalid_token"' });
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!m) return unauthorized('アクセストークンが指定されていません');
      const token = ctx.state.tokens.find((t) => t.accessToken === m[1]);
      if (!token) return unauthorized('アクセストークンが不正です');
      if (token.expiresAt <= ctx.now()) return unauthorized('アクセストークンの有効期限が切れています');
      if (req.params.contractId !== ctx.state.contractId) {
        return unauthorized(`アクセストークンと契約ID (${req.params.contractId}) が一致しません`);
      }
      if (scopes.length > 0 && !scopes.some((s) => token.scopes.includes(s))) {
        return problem(403, `このAPIを利用する権限（スコープ ${scopes.join(' または ')}）がありません`);
      }
      try {
        return handler(req, ctx);
      } catch (e) {
        if (e instanceof Problem) return problem(e.status, e.detail);
        throw e;
      }
    },
  };
}
