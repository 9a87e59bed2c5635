import type { DocumentSummary } from '@samverkan/protocol';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, errorText, isPendingChange } from '../api.js';
import { useT } from '../i18n/index.js';
import { useMe } from '../session.js';
import { forgetDocument } from '../sync/device.js';
import { ConfirmButton, ErrorAlert, ModalButton } from '../ui.js';

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
  const [error, setError] = useState<string | null>(null);
  /** While the request runs the button is disabled: one rename at a time. */
  const [saving, setSaving] = useState(false);
  const sending = useRef(false);
  return (
    <ModalButton
      label={t('renameDocument')}
      buttonClassName="button secondary"
      heading={t('renameHeading', { title: document.title })}
      onOpen={() => {
        // The dialog starts from the current name (someone else may have renamed it meanwhile).
        setTitle(document.title);
        setError(null);
      }}
      // While the name is being saved the dialog stays: its answer is shown in it.
      beforeClose={() => !sending.current}
    >
      {(close) => (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const wanted = title.trim();
            if (sending.current) return;
            if (wanted === document.title) {
              close();
              return;
            }
            sending.current = true;
            setSaving(true);
            setError(null);
            api.patch<DocumentSummary>(`/api/documents/${encodeURIComponent(document.id)}`, { title: wanted }).then(
              (renamed) => {
                sending.current = false;
                setSaving(false);
                queryClient.setQueryData(['document', document.id], renamed);
                void queryClient.invalidateQueries({ queryKey: ['documents'] });
                onMessage({ kind: 'status', text: t('renamed', { title: renamed.title }) });
                close();
              },
              (failure: unknown) => {
                sending.current = false;
                setSaving(false);
                if (isPendingChange(failure)) {
                  // The new name is saved once the store answers: not to be sent again.
                  onMessage({ kind: 'alert', text: errorText(t, locale, failure) });
                  close();
                } else {
                  setError(errorText(t, locale, failure));
                }
              },
            );
          }}
        >
          <ErrorAlert message={error} />
          <label>
            {t('documentName')}
            <input className="full-width" value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} autoComplete="off" />
          </label>
          <p className="dialog-buttons">
            <button type="button" className="secondary" onClick={close}>
              {t('cancel')}
            </button>{' '}
            <button type="submit" disabled={saving || title.trim() === ''}>
              {saving ? t('saving') : t('saveName')}
            </button>
          </p>
        </form>
      )}
    </ModalButton>
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
