import type { ErrorStyle, SimReply } from '../framework/types';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An RFC 7807 problem answer as the Platform API sends it (detail in Japanese). */
export function problem(status: number, detail: string, headers?: Record<string, string>): SimReply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...(headers ?? {}) },
    body: { type: 'about:blank', title: TITLES[status] ?? 'Error', detail, status },
  };
}

/** Thrown inside handlers to answer with a problem; caught by the route wrapper. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export const smaregiErrorStyle: ErrorStyle = (status, kind, message) => {
  switch (kind) {
    case 'not_found':
      return problem(404, `指定されたURLのリソースが見つかりません (${message})`);
    case 'method_not_allowed':
      return problem(405, `許可されていないメソッドです (${message})`);
    case 'bad_json':
      return problem(400, `リクエストボディのJSONが不正です (${message})`);
    case 'payload_too_large':
      return problem(413, 'リクエストボディが大きすぎます');
    case 'rate_limited':
      return problem(429, 'リクエスト数が上限を超えました。しばらく待ってから再度お試しください');
    case 'server_error':
    case 'internal_error':
      return problem(status >= 500 ? status : 500, `サーバーエラーが発生しました (${message})`);
  }
};
