import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { useT } from '../i18n/index.js';

/** Someone in the document: the server writes `user` from their session; `focus` is what they edit. */
export interface Present {
  clientId: number;
  user: { id: string; name: string; color: string };
  focus: string | null;
  self: boolean;
}

/** Everyone connected to the document right now (one entry per connection), live. */
export function usePresence(awareness: Awareness): Present[] {
  const read = (): Present[] => {
    const present: Present[] = [];
    awareness.getStates().forEach((state, clientId) => {
      const user = state.user as Present['user'] | undefined;
      if (!user || typeof user.name !== 'string') return;
      present.push({ clientId, user, focus: typeof state.focus === 'string' ? state.focus : null, self: clientId === awareness.clientID });
    });
    return present;
  };
  const [present, setPresent] = useState<Present[]>(read);
  useEffect(() => {
    const refresh = () => setPresent(read());
    awareness.on('change', refresh);
    refresh();
    return () => awareness.off('change', refresh);
  }, [awareness]);
  return present;
}

/** The people (other than me) whose focus is `key`, once each. */
export function editingBy(present: Present[], key: string): Present[] {
  const seen = new Set<string>();
  return present.filter((entry) => !entry.self && entry.focus === key && !seen.has(entry.user.id) && seen.add(entry.user.id));
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
}

/** Avatars of who is in the document, with their names for screen readers. */
export function PresenceBar({ present }: { present: Present[] }) {
  const { t } = useT();
  const people = [...new Map(present.filter((entry) => !entry.self).map((entry) => [entry.user.id, entry.user])).values()];
  return (
    <div className="presence">
      <span id="presence-label">{people.length === 0 ? t('presenceAlone') : t('presenceHere')}</span>
      <ul aria-labelledby="presence-label">
        {people.map((user) => (
          <li key={user.id} className="avatar" style={{ backgroundColor: user.color }} title={user.name} data-user-content="">
            <span aria-hidden="true">{initials(user.name)}</span>
            <span className="visually-hidden">{user.name}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Being edited by …" beside an item someone else has open. */
export function EditingMarker({ present, itemKey }: { present: Present[]; itemKey: string }) {
  const { t } = useT();
  const editors = editingBy(present, itemKey);
  if (editors.length === 0) return null;
  return (
    <span className="editing-marker">
      {t('editingBy', { names: editors.map((entry) => entry.user.name).join(', ') })}
    </span>
  );
}
