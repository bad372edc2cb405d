import type { ReasonCode } from './contract/register';

/** The cashier-facing message of every refusal, Japanese first. One table serves engine, CLI and renderer. */
export const REASON_MESSAGES: Record<ReasonCode, { ja: string; en: string }> = {
  not_gift_ticket: {
    ja: 'ギフト券ではありません（24桁の番号ではありません）',
    en: 'Not a gift ticket (not a 24-digit code)',
  },
  unknown_prefix: {
    ja: 'このギフト券の種類（先頭7桁）に対応するクーポンが登録されていません',
    en: 'No coupon is registered for this ticket type (first 7 digits)',
  },
  not_giftee_coupon: {
    ja: 'この番号のクーポンは giftee 区分ではありません（通常クーポン）',
    en: 'The coupon with this number is a normal coupon, not a giftee coupon',
  },
  coupon_not_started: { ja: 'このクーポンはまだ利用期間前です', en: 'This coupon is not valid yet' },
  coupon_expired: { ja: 'このクーポンは利用期間が終了しています', en: 'This coupon has expired' },
  below_min_amount: {
    ja: 'お会計金額がクーポンの最低金額に達していません',
    en: 'The amount is below the coupon’s minimum',
  },
  above_max_amount: {
    ja: 'お会計金額がクーポンの上限金額を超えています',
    en: 'The amount is above the coupon’s maximum',
  },
  no_target_item: {
    ja: 'クーポン対象の商品がお会計に含まれていません',
    en: 'No product this coupon applies to is in the basket',
  },
  ticket_used: { ja: 'このギフト券はすでに使用済みです', en: 'This gift ticket has already been used' },
  ticket_expired: { ja: 'このギフト券は有効期限が切れています', en: 'This gift ticket has expired' },
  ticket_unknown: { ja: 'このギフト券は giftee に登録されていません', en: 'giftee does not know this gift ticket' },
  offline: {
    ja: 'オフラインのためギフト券を確認できません。通信が戻ってから再度スキャンしてください（券は消費されていません）',
    en: 'Offline: the ticket cannot be checked. Scan again once the connection is back (the ticket was not used)',
  },
};

export function reasonMessage(code: ReasonCode): { ja: string; en: string } {
  return REASON_MESSAGES[code];
}
