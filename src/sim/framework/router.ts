import type { SimRoute } from './types';

export type RouteMatch<S> =
  | { kind: 'found'; route: SimRoute<S>; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

function matchPath(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const s = segments[i];
    if (p.startsWith(':')) {
      if (s === '') return null;
      let decoded: string;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        return null;
      }
      params[p.slice(1)] = decoded;
    } else if (p !== s) {
      return null;
    }
  }
  return params;
}

/** First route (in declaration order) whose method and path match; literal routes should come first. */
export function createRouter<S>(routes: SimRoute<S>[]): (method: string, path: string) => RouteMatch<S> {
  const compiled = routes.map((r) => ({ route: r, parts: r.path.split('/').slice(1) }));
  return (method, path) => {
    const segments = path.split('/').slice(1);
    const allow = new Set<string>();
    for (const c of compiled) {
      const params = matchPath(c.parts, segments);
      if (!params) continue;
      if (c.route.method === method) return { kind: 'found', route: c.route, params };
      allow.add(c.route.method);
    }
    return allow.size > 0 ? { kind: 'method_not_allowed', allow: [...allow] } : { kind: 'not_found' };
  };
}
