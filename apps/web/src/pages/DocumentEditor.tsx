import { getTitle } from '@samverkan/model';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
import { useT } from '../i18n/index.js';
import { type SaveState, connectDocument } from '../sync/samverkanProvider.js';
import { applyTextDiff } from '../sync/textDiff.js';
import { NoAccess } from './NoAccess.js';

/** A live editor for the shared notes, until the plan and pilot editors land. */
export function DocumentEditor({ documentId, readOnly }: { documentId: string; readOnly: boolean }) {
  const { t } = useT();
  const queryClient = useQueryClient();
  const [state, setState] = useState<SaveState>('offline');
  const [notes, setNotes] = useState('');
  const textRef = useRef<Y.Text | null>(null);

  useEffect(() => {
    const doc = new Y.Doc();
    const text = doc.getText('notes');
    textRef.current = text;
    const provider = connectDocument(documentId, doc, (next, closeCode) => {
      setState(next);
      // 4401: the session ended (e.g. the account was deactivated); 4000: access changed.
      if (next === 'closed') void queryClient.invalidateQueries({ queryKey: closeCode === 4401 ? ['me'] : ['document', documentId] });
    });
    const refresh = () => {
      setNotes(text.toString());
      const title = getTitle(doc);
      if (title) queryClient.setQueryData(['document', documentId], (current: { title: string } | undefined) => (current && current.title !== title ? { ...current, title } : current));
    };
    doc.on('update', refresh);
    return () => {
      doc.off('update', refresh);
      provider.destroy();
      doc.destroy();
      textRef.current = null;
    };
  }, [documentId, queryClient]);

  if (state === 'closed') return <NoAccess kind="document" />;
  const status = state === 'saved' ? t('saved') : state === 'saving' ? t('saving') : state === 'outdated' ? t('reload') : t('offline');
  return (
    <div className="editor">
      <p role="status" aria-live="polite" className={`save-state save-state-${state}`}>
        {status}{' '}
        {state === 'outdated' && (
          <button type="button" onClick={() => window.location.reload()}>
            {t('reloadButton')}
          </button>
        )}
      </p>
      <label htmlFor="notes">{t('notes')}</label>
      <textarea
        id="notes"
        rows={16}
        cols={80}
        value={notes}
        readOnly={readOnly || state === 'outdated'}
        onChange={(event) => {
          const current = textRef.current;
          if (current) applyTextDiff(current, current.toString(), event.target.value);
        }}
        data-user-content=""
      />
    </div>
  );
}
