import { useRef } from 'react';
import type * as Y from 'yjs';
import { useT } from '../i18n/index.js';
import { applyTextDiff } from '../sync/textDiff.js';
import { useDocumentVersion } from './useSharedDocument.js';

/** Shared notes as plain text (meeting boards, until their own editor arrives). */
export function NotesEditor({ doc, editable }: { doc: Y.Doc; editable: boolean }) {
  const { t } = useT();
  useDocumentVersion(doc);
  const text = useRef(doc.getText('notes')).current;
  return (
    <div className="editor">
      <label htmlFor="notes">{t('notes')}</label>
      <textarea
        id="notes"
        rows={16}
        cols={80}
        value={text.toString()}
        readOnly={!editable}
        onChange={(event) => applyTextDiff(text, text.toString(), event.target.value)}
        data-user-content=""
      />
    </div>
  );
}
