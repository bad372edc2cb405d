import { useMemo } from 'react';
import { useApp } from '../store/app';
import { translator, type Lang, type Translate } from './translate';

export { translate, translator } from './translate';
export type { Lang, MessageKey, Translate, Vars } from './translate';

export function useLang(): Lang {
  return useApp((s) => s.language);
}

/** `t(key, vars)` in the current language; re-renders when the language changes. */
export function useT(): Translate {
  const lang = useLang();
  return useMemo(() => translator(lang), [lang]);
}
