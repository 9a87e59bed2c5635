import { useRef } from 'react';
import type * as Y from 'yjs';
import { useKeptSelection } from '../fields.js';
import { useT } from '../i18n/index.js';
import { applyTextDiff } from '@samverkan/model';
import { useDocumentVersion } from './useSharedDocument.js';

/**
 * Shared notes as plain text (meeting boards, until their own editor arrives). The caret stays at
 * its place in the shared text when someone else's typing re-renders the field
 * ({@link useKeptSelection}).
 */
export function NotesEditor({ doc, editable }: { doc: Y.Doc; editable: boolean }) {
  const { t } = useT();
  useDocumentVersion(doc);
  const text = useRef(doc.getText('notes')).current;
  const area = useRef<HTMLTextAreaElement>(null);
  const selection = useKeptSelection(area, text);
  return (
    <div className="editor">
      <label htmlFor="notes">{t('notes')}</label>
      <textarea
        id="notes"
        ref={area}
        rows={16}
        cols={80}
        value={text.toString()}
        readOnly={!editable}
        onChange={(event) => {
          applyTextDiff(text, text.toString(), event.target.value);
          selection.remember();
        }}
        onSelect={selection.remember}
        onFocus={selection.remember}
        onBlur={selection.forget}
        data-user-content=""
      />
    </div>
  );
}
