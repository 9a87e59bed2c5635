import { getTitle } from '@samverkan/model';
import { useEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
import type { MessageKey } from './i18n.js';
import { connectDocument, type SaveState } from './sync/samverkanProvider.js';
import { applyTextDiff } from './sync/textDiff.js';

/** A minimal live editor (title and shared notes) until the plan and pilot editors land. */
export function DocumentEditor({ documentId, t }: { documentId: string; t: (key: MessageKey) => string }) {
  const [state, setState] = useState<SaveState>('offline');
  const [title, setTitle] = useState('');
  const [notes, setNotes] = useState('');
  const textRef = useRef<Y.Text | null>(null);

  useEffect(() => {
    const doc = new Y.Doc();
    const text = doc.getText('notes');
    textRef.current = text;
    const provider = connectDocument(documentId, doc, setState);
    const refresh = () => {
      setTitle(getTitle(doc));
      setNotes(text.toString());
    };
    doc.on('update', refresh);
    return () => {
      doc.off('update', refresh);
      provider.destroy();
      doc.destroy();
      textRef.current = null;
    };
  }, [documentId]);

  if (state === 'closed') return <p role="alert">{t('notFound')}</p>;
  const status = state === 'saved' ? t('saved') : state === 'saving' ? t('saving') : state === 'outdated' ? t('reload') : t('offline');
  return (
    <article aria-labelledby="document-title">
      <h2 id="document-title">{title || '…'}</h2>
      <p role="status" aria-live="polite">
        {status}
      </p>
      <label htmlFor="notes">{t('notes')}</label>
      <textarea
        id="notes"
        rows={16}
        cols={80}
        value={notes}
        readOnly={state === 'outdated'}
        onChange={(event) => {
          const text = textRef.current;
          if (text) applyTextDiff(text, text.toString(), event.target.value);
        }}
      />
    </article>
  );
}
