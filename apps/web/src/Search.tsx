import { useState } from 'react';
import type { MessageKey } from './i18n.js';

interface Segment {
  text: string;
  match: boolean;
}

interface Result {
  documentId: string;
  documentTitle: string;
  itemId: string | null;
  title: Segment[];
  snippet: Segment[];
}

function Marked({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((segment, index) => (segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
    </>
  );
}

/** Search across what the user may read, with the matches highlighted. */
export function Search({ t, onOpen }: { t: (key: MessageKey) => string; onOpen: (id: string) => void }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Result[] | null>(null);
  return (
    <form
      role="search"
      aria-label={t('searchButton')}
      onSubmit={(event) => {
        event.preventDefault();
        void fetch(`/api/search?q=${encodeURIComponent(query)}`)
          .then((response) => (response.ok ? (response.json() as Promise<{ results: Result[] }>) : { results: [] }))
          .then((body) => setResults(body.results));
      }}
    >
      <label>
        {t('search')} <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} required maxLength={200} />
      </label>{' '}
      <button type="submit">{t('searchButton')}</button>
      {results && (
        <div aria-live="polite">
          <p>{results.length === 0 ? t('noHits') : `${results.length} ${results.length === 1 ? t('hit') : t('hits')}`}</p>
          <ul>
            {results.map((result) => (
              <li key={`${result.documentId}:${result.itemId ?? ''}`}>
                <a
                  href={`/documents/${result.documentId}`}
                  onClick={(event) => {
                    event.preventDefault();
                    onOpen(result.documentId);
                  }}
                >
                  <Marked segments={result.title} />
                </a>
                {result.itemId && ` – ${result.documentTitle}`}
                <br />
                <small>
                  <Marked segments={result.snippet} />
                </small>
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
