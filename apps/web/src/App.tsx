import type { ClientToServerEvents, DocumentSummary, DocumentType, ServerToClientEvents } from '@samverkan/protocol';
import { type Socket, io } from 'socket.io-client';
import { Search } from './Search.js';
import { useCallback, useEffect, useState } from 'react';
import { DocumentEditor } from './DocumentEditor.js';
import { type Locale, type MessageKey, translate } from './i18n.js';
import { Setup, SignIn } from './SignIn.js';
import { AccessibilityStatement } from './AccessibilityStatement.js';
import { AcceptInvitation, ResetPassword } from './TokenPages.js';

/** Pages reached by a link with a token (no session needed). */
function tokenPage(): { kind: 'invitation' | 'reset'; token: string } | null {
  const invitation = /^\/invitations\/([A-Za-z0-9_-]+)$/.exec(window.location.pathname);
  if (invitation) return { kind: 'invitation', token: invitation[1] ?? '' };
  const reset = /^\/reset-password\/([A-Za-z0-9_-]+)$/.exec(window.location.pathname);
  return reset ? { kind: 'reset', token: reset[1] ?? '' } : null;
}

type SessionState = { kind: 'loading' } | { kind: 'setup' } | { kind: 'signedOut' } | { kind: 'signedIn'; name: string; language: Locale };

async function loadSession(): Promise<SessionState> {
  const me = await fetch('/api/auth/me');
  if (me.ok) {
    const body = (await me.json()) as { user: { name: string; language?: Locale } };
    return { kind: 'signedIn', name: body.user.name, language: body.user.language ?? 'sv' };
  }
  const setup = (await (await fetch('/api/setup')).json()) as { needed: boolean };
  return setup.needed ? { kind: 'setup' } : { kind: 'signedOut' };
}

function currentDocumentId(): string | null {
  const match = /^\/documents\/([A-Za-z0-9_-]+)$/.exec(window.location.pathname);
  return match ? (match[1] ?? null) : null;
}

export function App() {
  const [locale, setLocale] = useState<Locale>('sv');
  const [documentId, setDocumentId] = useState<string | null>(currentDocumentId());
  const [linkPage, setLinkPage] = useState(tokenPage());
  const leaveLinkPage = () => {
    window.history.pushState(null, '', '/');
    setLinkPage(null);
    refreshSession();
  };
  const t = useCallback((key: MessageKey) => translate(locale, key), [locale]);
  const [session, setSession] = useState<SessionState>({ kind: 'loading' });
  const refreshSession = useCallback(() => {
    loadSession().then(
      (loaded) => {
        setSession(loaded);
        if (loaded.kind === 'signedIn') setLocale(loaded.language); // each user's own language
      },
      () => setSession({ kind: 'signedOut' }),
    );
  }, []);
  const [showStatement, setShowStatement] = useState(window.location.pathname === '/accessibility');
  const switchLanguage = () => {
    const next: Locale = locale === 'sv' ? 'en' : 'sv';
    setLocale(next);
    if (session.kind === 'signedIn') {
      void fetch('/api/auth/me', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ language: next }) });
    }
  };
  useEffect(refreshSession, [refreshSession]);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    const onPop = () => setDocumentId(currentDocumentId());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const open = (id: string | null) => {
    window.history.pushState(null, '', id ? `/documents/${id}` : '/');
    setDocumentId(id);
  };

  return (
    <>
      <header>
        <h1>{t('appName')}</h1>
        <p>{t('tagline')}</p>
        <button type="button" onClick={switchLanguage}>
          {t('language')}
        </button>
        {session.kind === 'signedIn' && (
          <p>
            {t('signedInAs')} {session.name}{' '}
            <button type="button" onClick={() => void fetch('/api/auth/logout', { method: 'POST' }).then(refreshSession)}>
              {t('signOut')}
            </button>
          </p>
        )}
      </header>
      <main>
        {showStatement ? (
          <AccessibilityStatement locale={locale} />
        ) : linkPage?.kind === 'invitation' ? (
          <AcceptInvitation t={t} token={linkPage.token} onDone={leaveLinkPage} />
        ) : linkPage?.kind === 'reset' ? (
          <ResetPassword t={t} token={linkPage.token} onDone={leaveLinkPage} />
        ) : session.kind === 'loading' ? null : session.kind === 'setup' ? (
          <Setup t={t} onDone={refreshSession} />
        ) : session.kind === 'signedOut' ? (
          <SignIn t={t} onSignedIn={refreshSession} />
        ) : documentId ? (
          <>
            <p>
              <a
                href="/"
                onClick={(event) => {
                  event.preventDefault();
                  open(null);
                }}
              >
                {t('back')}
              </a>
            </p>
            <DocumentEditor documentId={documentId} t={t} />
          </>
        ) : (
          <DocumentList t={t} onOpen={open} />
        )}
      </main>
      <footer>
        <a
          href="/accessibility"
          onClick={(event) => {
            event.preventDefault();
            window.history.pushState(null, '', '/accessibility');
            setShowStatement(true);
          }}
        >
          {t('accessibilityStatement')}
        </a>
        {showStatement && (
          <>
            {' · '}
            <a
              href="/"
              onClick={(event) => {
                event.preventDefault();
                window.history.pushState(null, '', '/');
                setShowStatement(false);
              }}
            >
              {t('back')}
            </a>
          </>
        )}
      </footer>
    </>
  );
}

function DocumentList({ t, onOpen }: { t: (key: MessageKey) => string; onOpen: (id: string) => void }) {
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [error, setError] = useState(false);
  const [title, setTitle] = useState('');
  const [type, setType] = useState<DocumentType>('plan');

  const load = useCallback(async () => {
    try {
      const response = await fetch('/api/documents');
      if (!response.ok) throw new Error(String(response.status));
      const body = (await response.json()) as { documents: DocumentSummary[] };
      setDocuments(body.documents);
      setError(false);
    } catch {
      setError(true);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Live list: documents the user can read appear, change and disappear without a reload.
  useEffect(() => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'] });
    socket.on('document:changed', (changed) =>
      setDocuments((current) => {
        const others = (current ?? []).filter((entry) => entry.id !== changed.id);
        return [changed, ...others].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
      }),
    );
    socket.on('document:removed', (removed) => setDocuments((current) => (current ?? []).filter((entry) => entry.id !== removed.id)));
    return () => {
      socket.close();
    };
  }, []);

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    const response = await fetch('/api/documents', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type, title }),
    });
    if (response.ok) {
      const created = (await response.json()) as DocumentSummary;
      setTitle('');
      onOpen(created.id);
    }
  };

  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">{t('documents')}</h2>
      <Search t={t} onOpen={onOpen} />
      {error && <p role="alert">{t('loadFailed')}</p>}
      {documents && documents.length === 0 && <p>{t('noDocuments')}</p>}
      <ul>
        {documents?.map((document) => (
          <li key={document.id}>
            <a
              href={`/documents/${document.id}`}
              onClick={(event) => {
                event.preventDefault();
                onOpen(document.id);
              }}
            >
              {document.title}
            </a>{' '}
            ({t(document.type)})
          </li>
        ))}
      </ul>
      <form onSubmit={(event) => void create(event)}>
        <h3>{t('newDocument')}</h3>
        <label>
          {t('title')} <input value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} />
        </label>{' '}
        <label>
          {t('type')}{' '}
          <select value={type} onChange={(event) => setType(event.target.value as DocumentType)}>
            <option value="plan">{t('plan')}</option>
            <option value="pilot">{t('pilot')}</option>
            <option value="board">{t('board')}</option>
          </select>
        </label>{' '}
        <button type="submit">{t('create')}</button>
      </form>
    </section>
  );
}
