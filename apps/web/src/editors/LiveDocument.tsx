import type { DocumentSummary } from '@samverkan/protocol';
import { useT } from '../i18n/index.js';
import { useAppOutdated } from '../session.js';
import { NoAccess } from '../pages/NoAccess.js';
import { PilotEditor } from './PilotEditor.js';
import { PlanEditor } from './PlanEditor.js';
import { NotesEditor } from './NotesEditor.js';
import { PresenceBar, usePresence } from './Presence.js';
import { type SharedDocument, useSharedDocument } from './useSharedDocument.js';

/** Fetches the newest app (service worker update) and reloads. */
async function reloadNewest(): Promise<void> {
  try {
    await (await navigator.serviceWorker?.getRegistration())?.update();
  } finally {
    window.location.reload();
  }
}

/** The connection state, always visible and announced politely. */
function SaveStatus({ shared, outdated, editable }: { shared: SharedDocument; outdated: boolean; editable: boolean }) {
  const { t } = useT();
  const state = outdated ? 'outdated' : shared.state;
  // A reader's or commenter's writes are dropped by the server, never acknowledged: connected,
  // there is nothing of theirs to save.
  const connected = state === 'saved' || state === 'saving';
  const text = connected && !editable ? t('readOnly') : state === 'saved' ? t('saved') : state === 'saving' ? t('saving') : state === 'outdated' ? t('reload') : t('offline');
  return (
    <p role="status" aria-live="polite" className={`save-state save-state-${state}`}>
      {text}{' '}
      {state === 'outdated' && (
        <button type="button" onClick={() => void reloadNewest()}>
          {t('reloadButton')}
        </button>
      )}
    </p>
  );
}

function Editors({ shared, summary, userId, editable, outdated }: { shared: SharedDocument; summary: DocumentSummary; userId: string; editable: boolean; outdated: boolean }) {
  const present = usePresence(shared.provider.awareness);
  const { t } = useT();
  return (
    <>
      <div className="document-bar">
        <SaveStatus shared={shared} outdated={outdated} editable={editable} />
        <PresenceBar present={present} />
      </div>
      {!shared.ready ? (
        <p>{t('loading')}</p>
      ) : summary.type === 'plan' ? (
        <PlanEditor doc={shared.doc} provider={shared.provider} present={present} editable={editable} />
      ) : summary.type === 'pilot' ? (
        <PilotEditor doc={shared.doc} provider={shared.provider} present={present} editable={editable} userId={userId} />
      ) : (
        <NotesEditor doc={shared.doc} editable={editable} />
      )}
    </>
  );
}

/**
 * An open document: kept on this device, synced live, with who is here. Readers and commenters
 * get the same views without editing controls; an outdated tab stops writing.
 */
export function LiveDocument({ summary, userId }: { summary: DocumentSummary; userId: string }) {
  const mayEdit = summary.access === 'edit' || summary.access === 'manage';
  const shared = useSharedDocument(summary.id, userId, mayEdit);
  const outdated = useAppOutdated();
  if (!shared) return null;
  if (shared.state === 'closed') return <NoAccess kind="document" keptUnsaved={shared.keptUnsaved} />;
  // An outdated tab stops writing rather than drop content its editor does not know.
  const editable = mayEdit && shared.state !== 'outdated' && !outdated;
  return <Editors shared={shared} summary={summary} userId={userId} editable={editable} outdated={outdated} />;
}
