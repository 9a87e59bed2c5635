import { Sessions } from '../access/Sessions.js';
import { InProcessEventBus } from '../bus/EventBus.js';
import type { AccountDeps } from '../commands/accountDeps.js';
import type { ServerConfig } from '../env.js';
import { createMailer } from '../mail/Mailer.js';
import { openStore } from '../store/openStore.js';
import type { Store } from '../store/ports.js';

/** The store and account dependencies of a command-line tool, from the same environment as the server. */
export async function openToolContext(config: ServerConfig): Promise<{ store: Store; deps: AccountDeps }> {
  const store = await openStore({ dataDir: config.dataDir, mongodbUrl: config.mongodbUrl });
  const deps: AccountDeps = {
    store,
    sessions: new Sessions(store, { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs }),
    bus: new InProcessEventBus(),
    mailer: createMailer(config.smtpUrl, config.mailFrom),
    publicUrl: config.publicUrl,
    invitationTtlMs: config.invitationTtlMs,
    resetTtlMs: config.resetTtlMs,
  };
  return { store, deps };
}
