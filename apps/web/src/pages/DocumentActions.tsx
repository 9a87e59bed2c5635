import type { DocumentSummary } from '@samverkan/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, errorText, isPendingChange } from '../api.js';
import { useT } from '../i18n/index.js';
import { useMe } from '../session.js';
import { forgetDocument } from '../sync/device.js';
import { ConfirmButton, FormDialog } from '../ui.js';

/** What the page says after an action of this file: a result (polite) or a failure (an alert). */
export type ActionMessage = { kind: 'status' | 'alert'; text: string } | null;

/**
 * "Rename" (edit access): a dialog with the name, saved through `PATCH /api/documents/:id`; the
 * heading changes at once here and, through the live events, for everyone who has it open.
 */
export function RenameDocument({ document, onMessage }: { document: DocumentSummary; onMessage: (message: ActionMessage) => void }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(document.title);
  return (
    <FormDialog
      label={t('renameDocument')}
      heading={t('renameHeading', { title: document.title })}
      submitLabel={t('saveName')}
      canSubmit={title.trim() !== ''}
      // The dialog starts from the current name (someone else may have renamed it meanwhile).
      onOpen={() => setTitle(document.title)}
      onSubmit={async () => {
        const wanted = title.trim();
        if (wanted === document.title) return null;
        try {
          const renamed = await api.patch<DocumentSummary>(`/api/documents/${encodeURIComponent(document.id)}`, { title: wanted });
          queryClient.setQueryData(['document', document.id], renamed);
          void queryClient.invalidateQueries({ queryKey: ['documents'] });
          onMessage({ kind: 'status', text: t('renamed', { title: renamed.title }) });
        } catch (failure) {
          if (!isPendingChange(failure)) throw failure;
          // The new name is saved once the store answers: not to be sent again.
          onMessage({ kind: 'alert', text: errorText(t, locale, failure) });
        }
        return null;
      }}
    >
      <label>
        {t('documentName')}
        <input className="full-width" value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} autoComplete="off" />
      </label>
    </FormDialog>
  );
}

/**
 * "Remove the document" (manage access), after a confirmation: `DELETE /api/documents/:id` takes
 * it away from everyone; the list of documents then says which one went.
 */
export function RemoveDocument({ document, onMessage }: { document: DocumentSummary; onMessage: (message: ActionMessage) => void }) {
  const { t, locale } = useT();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const userId = useMe().data?.user.id;
  /** Set while the removal runs: confirming again meanwhile does nothing. */
  const removing = useRef(false);
  return (
    <ConfirmButton
      label={t('removeDocument')}
      accessibleLabel={t('removeDocumentLabel', { title: document.title })}
      heading={t('removeDocumentConfirm', { title: document.title })}
      text={t('removeDocumentText')}
      onConfirm={() => {
        if (removing.current) return;
        removing.current = true;
        api.delete(`/api/documents/${encodeURIComponent(document.id)}`).then(
          () => {
            // Nothing of it stays on this device (unless it holds changes never saved).
            if (userId) void forgetDocument(userId, document.id);
            void queryClient.invalidateQueries({ queryKey: ['documents'] });
            void navigate('/documents', { state: { removed: document.title } });
          },
          (failure: unknown) => {
            removing.current = false;
            onMessage({ kind: 'alert', text: errorText(t, locale, failure) });
          },
        );
      }}
    />
  );
}
