import type { LoginThrottle } from '../../access/LoginThrottle.js';
import type { AccountDeps } from '../../commands/accountDeps.js';
import type { CookiePolicy } from '../session.js';

/** What the account routes need. */
export interface AccountRouteDeps extends AccountDeps {
  throttle: LoginThrottle;
  cookies: CookiePolicy;
  /** Failed sign-ins per IP address per 15 minutes before 429 (lenient: a municipality may share one address). */
  loginAttemptsPerIp: number;
}
