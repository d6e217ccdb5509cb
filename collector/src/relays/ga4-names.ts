/**
 * GA4 Measurement Protocol naming rules ("Measurement Protocol reference", "Reserved names"), checked at
 * the start: an event GA4 would drop is a configuration mistake, not something to find in a report a
 * week later. Event and parameter names: at most 40 characters of letters, digits and `_`, starting
 * with a letter; names GA4 reserves for its own events, and parameter names starting with `google_`,
 * `ga_` or `firebase_`, are refused. (The browser adapter's mapping, src/adapters/map/ga4.ts, repairs
 * names it is given; here they are configuration, so they are refused instead.)
 */
import type { Relay } from './config';

export const GA4_RESERVED_EVENTS = new Set([
  'ad_activeview', 'ad_click', 'ad_exposure', 'ad_query', 'ad_reward', 'adunit_exposure', 'app_background', 'app_clear_data', 'app_exception',
  'app_install', 'app_remove', 'app_store_refund', 'app_store_subscription_cancel', 'app_store_subscription_convert', 'app_store_subscription_renew',
  'app_update', 'app_upgrade', 'dynamic_link_app_open', 'dynamic_link_app_update', 'dynamic_link_first_open', 'error', 'firebase_campaign',
  'firebase_in_app_message_action', 'firebase_in_app_message_dismiss', 'firebase_in_app_message_impression', 'first_open', 'first_visit',
  'in_app_purchase', 'notification_dismiss', 'notification_foreground', 'notification_open', 'notification_receive', 'notification_send',
  'os_update', 'screen_view', 'session_start', 'user_engagement',
]);
export const GA4_RESERVED_PARAM_PREFIXES = ['google_', 'ga_', 'firebase_'];
export const GA4_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** The longest parameter name the mapping adds after the prefix (`engaged_ms`, `duration_ms`, …). */
const LONGEST_OWN = 'duration_ms'.length;

export function checkGa4Names(r: Relay, where: string) {
  for (const k of ['sessionEvent', 'pageEvent'] as const) {
    const name = r[k];
    if (!GA4_NAME.test(name)) throw new Error(`${where} "${k}" ${JSON.stringify(name)} is not a GA4 event name: at most 40 letters, digits and '_', starting with a letter`);
    if (GA4_RESERVED_EVENTS.has(name) || /^(_|firebase_|ga_|google_|gtag\.)/.test(name)) throw new Error(`${where} "${k}" ${JSON.stringify(name)} is reserved by GA4`);
  }
  if (!GA4_NAME.test(r.prefix + 'x'.repeat(LONGEST_OWN))) {
    throw new Error(`${where} "prefix" ${JSON.stringify(r.prefix)} does not make GA4 parameter names: letters, digits and '_', starting with a letter, at most ${40 - LONGEST_OWN} characters`);
  }
  if (GA4_RESERVED_PARAM_PREFIXES.some((p) => r.prefix.startsWith(p))) throw new Error(`${where} "prefix" ${JSON.stringify(r.prefix)} starts with a prefix GA4 reserves (${GA4_RESERVED_PARAM_PREFIXES.join(', ')})`);
}
