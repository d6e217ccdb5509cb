/**
 * Global Privacy Control (the W3C Privacy CG's GPC specification, `navigator.globalPrivacyControl`) and the older Do Not Track header
 * as scripts see it.
 */
export const optedOut = (nav: Navigator): boolean =>
  (nav as { globalPrivacyControl?: boolean }).globalPrivacyControl === true || nav.doNotTrack === '1';
