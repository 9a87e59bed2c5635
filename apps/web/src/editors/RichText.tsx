import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

/**
 * A remote person's caret: their name on their colour (each colour has ≥ 4.5:1 contrast with
 * white). It holds no text of its own in the line (the name floats above it and cannot be
 * selected): a click or End next to a colleague's caret must never put one's own caret inside
 * it, where the browser drops what is typed (the widget is not editable) until ProseMirror
 * moves the selection out.
 */
function caret(user: { name?: string | null; color?: string | null }): HTMLElement {
  const mark = document.createElement('span');
  mark.className = 'remote-caret';
  mark.style.borderColor = user.color ?? '#1d2521';
  const label = document.createElement('span');
  label.className = 'remote-caret-label';
  label.style.backgroundColor = user.color ?? '#1d2521';
  label.textContent = user.name ?? '';
  mark.append(label);
  return mark;
}

/**
 * Rich text bound to one of the document's XML fragments (Tiptap with its Collaboration
 * extension: every keystroke is a Yjs change, merged with everyone else's), with the others'
 * named carets (collaboration-caret extension). Read-only when the user may not edit.
 */
export function RichText({
  fragment,
  awareness,
  label,
  editable,
  id,
}: {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  label: string;
  editable: boolean;
  id?: string;
}) {
  const editor = useEditor(
    {
      extensions: [
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ fragment }),
        // Named carets of the others. All rich-text fields of a document share the awareness
        // field `cursor`; each editor draws only carets whose position lies in its own fragment.
        // The `user` in each state is written by the server from the session.
        CollaborationCaret.configure({ provider: { awareness }, render: caret, selectionRender: (user: { color?: string | null }) => ({ style: `background-color: ${user.color ?? '#1d2521'}33` }) }),
      ],
      editable,
      editorProps: {
        attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', class: 'rich-text', ...(id ? { id } : {}), ...(editable ? {} : { 'aria-readonly': 'true' }) },
      },
    },
    [fragment, awareness],
  );
  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);
  return (
    <div className="rich-text-frame" data-user-content="">
      <EditorContent editor={editor} />
    </div>
  );
}
