/**
 * `npm run demo`: fills an EMPTY instance with the sample Norrbotten network (see the README
 * for the logins). Refuses to touch an instance that already has users. `npm start` never
 * loads demo data by itself.
 */
import { loadConfig } from '../env.js';
import { createDemoNetwork, DEMO_PASSWORD, DEMO_USERS } from './demoNetwork.js';
import { runTool } from './runTool.js';
import { openToolContext } from './toolContext.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const { store, deps } = await openToolContext(config);
  try {
    if ((await store.accounts.countUsers()) > 0) {
      console.error('Instansen har redan användare – demodata läggs bara i en tom instans. / This instance already has users: demo data only goes into an empty one.');
      return 1;
    }
    await createDemoNetwork({ ...deps, mailer: null });
    console.log('Demonätverket är skapat. / The demo network is ready.');
    console.log(`Lösenord för alla / Password for everyone: ${DEMO_PASSWORD}`);
    for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(36)} ${user.role.padEnd(12)} ${user.organisation}`);
    return 0;
  } finally {
    await store.close();
  }
}

runTool(main);
