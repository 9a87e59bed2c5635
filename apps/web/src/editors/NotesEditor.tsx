import { useLayoutEffect, useRef } from 'react';
import * as Y from 'yjs';
import { useT } from '../i18n/index.js';
import { applyTextDiff } from '@samverkan/model';
import { useDocumentVersion } from './useSharedDocument.js';

/**
 * Shared notes as plain text (meeting boards, until their own editor arrives). The caret is kept
 * as a position in the shared text, not as a number: when someone else's typing re-renders the
 * field (which puts the browser's caret at the end), it goes back to the same place in the text.
 */
export function NotesEditor({ doc, editable }: { doc: Y.Doc; editable: boolean }) {
  const { t } = useT();
  useDocumentVersion(doc);
  const text = useRef(doc.getText('notes')).current;
  const area = useRef<HTMLTextAreaElement>(null);
  const caret = useRef<{ start: Y.RelativePosition; end: Y.RelativePosition } | null>(null);
  const remember = (): void => {
    const field = area.current;
    if (!field) return;
    caret.current = {
      start: Y.createRelativePositionFromTypeIndex(text, field.selectionStart),
      end: Y.createRelativePositionFromTypeIndex(text, field.selectionEnd),
    };
  };
  useLayoutEffect(() => {
    const field = area.current;
    if (!field || !caret.current || document.activeElement !== field) return;
    const start = Y.createAbsolutePositionFromRelativePosition(caret.current.start, doc)?.index;
    const end = Y.createAbsolutePositionFromRelativePosition(caret.current.end, doc)?.index;
    if (start === undefined || end === undefined) return;
    if (field.selectionStart !== start || field.selectionEnd !== end) field.setSelectionRange(start, end);
  });
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
          remember();
        }}
        onSelect={remember}
        data-user-content=""
      />
    </div>
  );
}
