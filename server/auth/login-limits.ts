/** How hard logins are limited (DESIGN §12), each read from its own setting by http/security-config.ts. */
export interface LoginLimits {
  /** LOGIN_MAX_PER_ADDRESS: failed (or in-flight) logins from one address per window. */
  perAddress: number
  /** LOGIN_MAX_PER_USER_ADDRESS: failed (or in-flight) logins for one user from one address per window. */
  perUserAddress: number
  /** LOGIN_WINDOW_SEC: how long failures count. */
  windowSec: number
  /** LOGIN_USER_FREE_FAILS: failures of one user (from any address) before attempts for that user are spaced out. */
  userFreeFails: number
  /** LOGIN_USER_DELAY_MS: the first gap between attempts for such a user; it doubles with each further failure… */
  userDelayMs: number
  /** LOGIN_USER_DELAY_MAX_MS: …up to this, so the real user waits at most this long, never a lock-out. */
  userDelayMaxMs: number
}
