/**
 * `npm run admin -- reset-password EMAIL`: prints a single-use password reset link for a user
 * (for an admin locked out of the web app). Uses the same environment as the server
 * (`DATA_DIR` or `MONGODB_URL`, `PUBLIC_URL`).
 */
import { normaliseEmail } from '../access/tokens.js';
import { passwordResetIssuer } from '../commands/passwordResetIssuer.js';
import { loadConfig } from '../env.js';
import { runTool } from './runTool.js';
import { openToolContext } from './toolContext.js';

const usage = `Usage:
  npm run admin -- reset-password EMAIL   print a single-use password reset link`;

async function main(): Promise<number> {
  const [command, argument] = process.argv.slice(2);
  if (command !== 'reset-password' || !argument) {
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  const { store, deps } = await openToolContext(config);
  try {
    const user = await store.accounts.findUserByEmail(normaliseEmail(argument));
    if (!user) {
      console.error(`Ingen användare med e-postadressen ${argument}. / No user with the e-mail address ${argument}.`);
      return 1;
    }
    const link = await passwordResetIssuer(deps, null, user.id);
    console.log(`Länk för nytt lösenord till ${user.name} (gäller till ${link.expiresAt}, kan användas en gång):`);
    console.log(`Password reset link for ${user.name} (valid once, until ${link.expiresAt}):`);
    console.log(link.url);
    return 0;
  } finally {
    await store.close();
  }
}

runTool(main);
