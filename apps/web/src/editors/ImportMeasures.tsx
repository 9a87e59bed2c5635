import { useRef, useState } from 'react';
import { useParams } from 'react-router';
import { api, errorText, isPendingChange } from '../api.js';
import { useT } from '../i18n/index.js';
import { ErrorAlert, StatusMessage } from '../ui.js';

interface Preview {
  headers: string[];
  measures: { title: string }[];
  rejected: { row: number; reasons: string[] }[];
  /** Set when the file has more rows than one import reads: the last row read. */
  notReadAfterRow?: number | null;
}

/** The server explains a rejected row as "svenska / English": the user's half. */
function inLanguage(reason: string, locale: 'sv' | 'en'): string {
  const parts = reason.split(' / ');
  return parts.length >= 2 ? (locale === 'en' ? `${parts[0]?.split(':')[0] ?? ''}: ${parts.slice(1).join(' / ')}` : parts[0] ?? reason) : reason;
}

/**
 * Import measures from a spreadsheet (CSV or Excel): a preview first — the rows that would be
 * added and every rejected row with its reasons — and nothing is written until "Import".
 */
export function ImportMeasures() {
  const { t, locale } = useT();
  const documentId = useParams().documentId ?? '';
  const [file, setFile] = useState<{ format: 'csv' | 'xlsx'; content: string; name: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  /** While the import request runs: the button is disabled (importing twice adds every row twice). */
  const [importing, setImporting] = useState(false);
  /** The file whose preview may be shown (a slower answer for a file chosen earlier is dropped). */
  const chosenFile = useRef<File | null>(null);

  const choose = async (chosen: File | undefined) => {
    chosenFile.current = chosen ?? null;
    setPreview(null);
    setStatus(null);
    setError(null);
    setFile(null);
    if (!chosen) return;
    const format = chosen.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
    const bytes = new Uint8Array(await chosen.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const content = btoa(binary);
    if (chosenFile.current !== chosen) return;
    api.post<Preview>(`/api/documents/${documentId}/import/preview`, { format, content }).then(
      (answer) => {
        if (chosenFile.current !== chosen) return;
        // The file and its preview go together: what is confirmed is what was previewed.
        setFile({ format, content, name: chosen.name });
        setPreview(answer);
      },
      (failure: unknown) => {
        if (chosenFile.current === chosen) setError(errorText(t, locale, failure));
      },
    );
  };
  /** After a confirm that imports (now or once the store answers): the file cannot be confirmed again. */
  const forgetFile = () => {
    setPreview(null);
    setFile(null);
    chosenFile.current = null;
  };
  const confirm = () => {
    if (!file || importing) return;
    setImporting(true);
    setError(null);
    api
      .post<{ imported: number }>(`/api/documents/${documentId}/import/confirm`, { format: file.format, content: file.content })
      .then(
        (result) => {
          forgetFile();
          setStatus(t('importDone', { count: result.imported }));
        },
        (failure: unknown) => {
          setError(errorText(t, locale, failure));
          // The rows are imported once the store answers.
          if (isPendingChange(failure)) forgetFile();
        },
      )
      .finally(() => setImporting(false));
  };

  return (
    <details className="import">
      <summary>{t('importMeasures')}</summary>
      <p>{t('importIntro')}</p>
      <ErrorAlert message={error} />
      <StatusMessage message={status} />
      <label>
        {t('importFile')}
        <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(event) => void choose(event.target.files?.[0])} />
      </label>
      {preview && (
        <div aria-live="polite">
          <p>{t('importPreview', { count: preview.measures.length })}</p>
          {typeof preview.notReadAfterRow === 'number' && <p role="alert">{t('importNotRead', { row: preview.notReadAfterRow })}</p>}
          {preview.rejected.length > 0 && (
            <>
              <p>{t('importRejected', { count: preview.rejected.length })}</p>
              <ul>
                {preview.rejected.map((row) => (
                  <li key={row.row}>
                    {t('importRow', { row: row.row })}: <span data-user-content="">{row.reasons.map((reason) => inLanguage(reason, locale)).join('; ')}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" disabled={preview.measures.length === 0 || importing} aria-busy={importing || undefined} onClick={confirm}>
            {t('importConfirm', { count: preview.measures.length })}
          </button>
        </div>
      )}
    </details>
  );
}
