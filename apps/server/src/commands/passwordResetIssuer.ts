import { hashToken, newToken } from '../access/tokens.js';
import { type AccountDeps, type MailOutcome, audit, mailLink } from './accountDeps.js';
import { CommandError } from './CommandError.js';

/**
 * An admin (or the `admin reset-password` command, actor null) issues a single-use reset link
 * for a user: returned so it can be handed over, and e-mailed when SMTP is configured.
 */
export async function passwordResetIssuer(
  deps: AccountDeps,
  actorId: string | null,
  userId: string,
): Promise<{ token: string; url: string; expiresAt: string } & MailOutcome> {
  const user = await deps.store.accounts.getUser(userId);
  if (!user) throw new CommandError('not_found', 'Användaren finns inte. / No such user.');
  if (user.deactivatedAt) throw new CommandError('conflict', 'Kontot är avstängt. / The account is deactivated.');
  const token = newToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + deps.resetTtlMs).toISOString();
  await deps.store.accounts.createPasswordReset({
    tokenHash: hashToken(token),
    userId: user.id,
    createdBy: actorId,
    createdAt: now.toISOString(),
    expiresAt,
    usedAt: null,
  });
  await audit(deps.store, actorId, 'password_reset.issue', user.id);
  const url = `${deps.publicUrl}/reset-password/${token}`;
  const mailed = await mailLink(deps, {
    to: user.email,
    subject: 'Nytt lösenord i Samverkan / New password for Samverkan',
    text: `Öppna länken för att välja ett nytt lösenord (giltig till ${expiresAt}, kan användas en gång):\n${url}\n\nOpen the link to choose a new password (valid once):\n${url}\n`,
  });
  return { token, url, expiresAt, ...mailed };
}
