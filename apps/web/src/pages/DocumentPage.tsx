import type { DocumentSummary } from '@samverkan/protocol';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { forgetDocument, hasUnsaved } from '../sync/device.js';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../api.js';
import { useT } from '../i18n/index.js';
import { ErrorAlert, PageHeading, StatusMessage, UserText } from '../ui.js';
import { type ActionMessage, RemoveDocument, RenameDocument } from './DocumentActions.js';
import { LiveDocument } from '../editors/LiveDocument.js';
import { useMe } from '../session.js';
import { NoAccess } from './NoAccess.js';
import { ShareDialog } from './ShareDialog.js';

/** `/documents/:id`: the document with its sharing and export, or a clear "no access". */
export default function DocumentPage() {
  const { t } = useT();
  const me = useMe().data;
  const documentId = useParams().documentId ?? '';
  // A message belongs to the document it was about: another one (a link followed) shows none.
  const [said, setSaid] = useState<{ documentId: string; message: ActionMessage }>({ documentId, message: null });
  const message = said.documentId === documentId ? said.message : null;
  const setMessage = (next: ActionMessage) => setSaid({ documentId, message: next });
  const document = useQuery({
    queryKey: ['document', documentId],
    queryFn: () => api.get<DocumentSummary>(`/api/documents/${encodeURIComponent(documentId)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  const noAccess = document.error instanceof ApiError && document.error.status === 404;
  const userId = me?.user.id;
  useEffect(() => {
    // Not (or no longer) readable: nothing of it stays on this device.
    if (noAccess && userId) void forgetDocument(userId, documentId);
  }, [noAccess, userId, documentId]);
  if (document.isPending) return <p>{t('loading')}</p>;
  // A failed background re-check (server restarting, network gone) keeps the open document and
  // everything typed on the page; only a missing entry or access that is gone replaces it.
  if (document.isError && (noAccess || document.data === undefined)) {
    return noAccess ? (
      <NoAccess kind="document" keptUnsaved={userId !== undefined && hasUnsaved(userId, documentId)} />
    ) : (
      <p role="alert">{t('loadFailed')}</p>
    );
  }
  const summary = document.data;
  const formats = summary.type === 'plan' ? (['md', 'html', 'docx', 'csv', 'json'] as const) : summary.type === 'pilot' ? (['md', 'html'] as const) : [];
  return (
    <article aria-labelledby="page-heading">
      <p>
        <Link to="/documents">{t('back')}</Link>
      </p>
      <PageHeading title={summary.title}>
        <UserText>{summary.title}</UserText>
      </PageHeading>
      <p className="meta">
        {t(summary.type)} · {t('accessLevel', { level: t(`level_${summary.access ?? 'read'}`) })}
      </p>
      <div className="toolbar">
        {summary.access === 'manage' && <ShareDialog key={summary.id} document={summary} />}
        {(summary.access === 'edit' || summary.access === 'manage') && <RenameDocument key={`rename:${summary.id}`} document={summary} onMessage={setMessage} />}
        {summary.access === 'manage' && <RemoveDocument document={summary} onMessage={setMessage} />}
        {formats.length > 0 && (
          <span>
            {t('export')}:{' '}
            {formats.map((format) => (
              <a key={format} className="export-link" href={`/api/documents/${summary.id}/export?format=${format}`} download>
                {t(`format_${format}`)}
              </a>
            ))}
          </span>
        )}
      </div>
      <StatusMessage message={message?.kind === 'status' ? message.text : null} />
      <ErrorAlert message={message?.kind === 'alert' ? message.text : null} />
      {me && <LiveDocument key={summary.id} summary={summary} userId={me.user.id} />}
    </article>
  );
}
