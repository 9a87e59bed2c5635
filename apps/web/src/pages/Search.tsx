import { useState } from 'react';
import { Link } from 'react-router';
import { api, errorText } from '../api.js';
import { AdoptIntoPlan } from '../editors/AdoptIntoPlan.js';
import { useT } from '../i18n/index.js';
import { ErrorAlert, UserText } from '../ui.js';

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
    <UserText>
      {segments.map((segment, index) => (segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
    </UserText>
  );
}

/** Search across what the user may read, with the matches highlighted. */
export function Search() {
  const { t, locale } = useT();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Result[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <form
        role="search"
        aria-label={t('searchButton')}
        onSubmit={(event) => {
          event.preventDefault();
          // Cleared first: the count is announced again for a search with as many hits, and a
          // failed search leaves no hits of the one before.
          setResults(null);
          api.get<{ results: Result[] }>(`/api/search?q=${encodeURIComponent(query)}`).then(
            (body) => {
              setError(null);
              setResults(body.results);
            },
            (failure: unknown) => setError(errorText(t, locale, failure)),
          );
        }}
      >
        <label>
          {t('search')} <input type="search" value={query} onChange={(event) => setQuery(event.target.value)} required maxLength={200} />
        </label>{' '}
        <button type="submit">{t('searchButton')}</button>
      </form>
      <ErrorAlert message={error} />
      {/* Only the count is announced (the region is on the page before it): a hit's own form and messages speak for themselves. */}
      <p role="status">{results === null ? '' : results.length === 0 ? t('noHits') : t('hits', { count: results.length })}</p>
      <div>
        {results && (
          <>
            <ul className="search-results">
              {results.map((result) => (
                <li key={`${result.documentId}:${result.itemId ?? ''}`}>
                  <Link to={`/documents/${result.documentId}${result.itemId ? `?measure=${encodeURIComponent(result.itemId)}` : ''}`}>
                    <Marked segments={result.title} />
                  </Link>
                  {result.itemId && (
                    <>
                      {' '}
                      {t('inDocument', { title: result.documentTitle })}
                    </>
                  )}
                  <br />
                  <small>
                    <Marked segments={result.snippet} />
                  </small>
                  {/* A hit with an item is a plan's measure: it can be copied from here. */}
                  {result.itemId && <AdoptIntoPlan sourceDocumentId={result.documentId} measureId={result.itemId} what={result.title.map((segment) => segment.text).join('')} />}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
