import { Extension } from '@tiptap/core';
import type { Plugin } from '@tiptap/pm/state';
import Collaboration from '@tiptap/extension-collaboration';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { yCursorPlugin } from '@tiptap/y-tiptap';
import { useEffect } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

interface CaretOptions {
  awareness: Awareness | null;
}

/** A remote person's caret: their name on their colour (each colour has ≥ 4.5:1 contrast with white). */
function caret(user: { name?: string; color?: string }): HTMLElement {
  const mark = document.createElement('span');
  mark.className = 'remote-caret';
  mark.style.borderColor = user.color ?? '#1d2521';
  const label = document.createElement('span');
  label.className = 'remote-caret-label';
  label.style.backgroundColor = user.color ?? '#1d2521';
  label.textContent = user.name ?? '';
  mark.append('\u2060', label, '\u2060');
  return mark;
}

/**
 * Named carets of the others, through y-tiptap's cursor plugin on the provider's awareness. All
 * rich-text fields of a document share the awareness field `cursor`: a caret is drawn only by
 * the editor whose fragment holds its position.
 */
const CollaborationCaret = Extension.create<CaretOptions>({
  name: 'samverkanCaret',
  addOptions() {
    return { awareness: null };
  },
  addProseMirrorPlugins() {
    const awareness = this.options.awareness;
    if (!awareness) return [];
    const plugin = yCursorPlugin(awareness, { cursorBuilder: caret, selectionBuilder: (user: { color?: string }) => ({ style: `background-color: ${user.color ?? '#1d2521'}33` }) }) as Plugin;
    return [plugin];
  },
});

/**
 * Rich text bound to one of the document's XML fragments (Tiptap with its Collaboration
 * extension: every keystroke is a Yjs change, merged with everyone else's), with the others'
 * named carets. Read-only when the user may not edit.
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
      extensions: [StarterKit.configure({ undoRedo: false }), Collaboration.configure({ fragment }), CollaborationCaret.configure({ awareness })],
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
