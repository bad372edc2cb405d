import { en } from './en';
import { ja, type MessageKey } from './ja';

export type { MessageKey };
export type Lang = 'ja' | 'en';
export type Vars = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const dictionaries: Record<Lang, Partial<Record<string, string>>> = { ja, en };

/**
 * The message for `key` in `lang`, with `{name}` placeholders filled from `vars`.
 * Falls back to Japanese (the source), then to the key itself, so a gap never shows as blank.
 * A placeholder without a value is left as written.
 */
export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  const template = dictionaries[lang]?.[key] ?? dictionaries.ja[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

export function translator(lang: Lang): Translate {
  return (key, vars) => translate(lang, key, vars);
}
