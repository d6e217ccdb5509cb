/**
 * Global Privacy Control (https://privacycg.github.io/gpc-spec/) and the older Do Not Track header
 * as scripts see it.
 */
export const optedOut = (nav: Navigator): boolean =>
  (nav as { globalPrivacyControl?: boolean }).globalPrivacyControl === true || nav.doNotTrack === '1';
