import type { ReactNode } from 'react';

/**
 * Fill colours of the charts. Each has at least 4.5:1 against white (so white marks and the
 * white page both stand out), and each series also has its own pattern and a text legend, so
 * colour is never the only difference.
 */
export const SERIES_COLOURS: Record<string, string> = {
  planned: '#0072b2',
  ongoing: '#b35c00',
  done: '#007a5a',
  paused: '#8c4b9e',
  cancelled: '#b0283a',
  other: '#5b6770',
  expected: '#0072b2',
  actual: '#007a5a',
  trajectory: '#4d5a53',
  actualValues: '#b35c00',
};

type PatternKind = 'solid' | 'diagonal' | 'dots' | 'horizontal' | 'cross';

/** The pattern of each series (on top of its colour). */
const SERIES_PATTERNS: Record<string, PatternKind> = {
  planned: 'diagonal',
  ongoing: 'dots',
  done: 'solid',
  paused: 'horizontal',
  cancelled: 'cross',
  other: 'solid',
  expected: 'diagonal',
  actual: 'solid',
};

/** `fill` of a series: its pattern, defined once in `ChartPatterns`. */
export function seriesFill(series: string): string {
  return `url(#overview-pattern-${SERIES_PATTERNS[series] ? series : 'other'})`;
}

function patternMarks(kind: PatternKind): ReactNode {
  switch (kind) {
    case 'diagonal':
      return <path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" strokeWidth="1.6" />;
    case 'dots':
      return <circle cx="4" cy="4" r="1.5" fill="#ffffff" />;
    case 'horizontal':
      return <path d="M0,4 h8" stroke="#ffffff" strokeWidth="1.6" />;
    case 'cross':
      return <path d="M0,0 l8,8 M8,0 l-8,8" stroke="#ffffff" strokeWidth="1.2" />;
    case 'solid':
      return null;
  }
}

/** The patterns every chart on the page refers to (an invisible SVG, hidden from assistive tech). */
export function ChartPatterns() {
  return (
    <svg className="overview-patterns" width="0" height="0" aria-hidden="true" focusable="false">
      <defs>
        {Object.entries(SERIES_PATTERNS).map(([series, kind]) => (
          <pattern key={series} id={`overview-pattern-${series}`} width="8" height="8" patternUnits="userSpaceOnUse">
            <rect width="8" height="8" fill={SERIES_COLOURS[series]} />
            {patternMarks(kind)}
          </pattern>
        ))}
      </defs>
    </svg>
  );
}

/** A legend in HTML: a swatch with the series' pattern (or line) and its name. */
export function Legend({ items }: { items: { series: string; label: string; line?: 'solid' | 'dashed' }[] }) {
  return (
    <ul className="overview-legend">
      {items.map((item) => (
        <li key={item.series}>
          <svg width={item.line ? 28 : 16} height="16" aria-hidden="true" focusable="false">
            {item.line === undefined ? (
              <rect width="16" height="16" fill={seriesFill(item.series)} />
            ) : (
              <>
                <line x1="0" y1="8" x2="28" y2="8" stroke={SERIES_COLOURS[item.series]} strokeWidth="2.5" strokeDasharray={item.line === 'dashed' ? '6 4' : undefined} />
                {item.line === 'solid' ? <circle cx="14" cy="8" r="4" fill={SERIES_COLOURS[item.series]} stroke="#ffffff" /> : null}
              </>
            )}
          </svg>
          {item.label}
        </li>
      ))}
    </ul>
  );
}

/** Props recharts gives a custom axis tick. */
export interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value: unknown };
}

/**
 * A category tick on a vertical bar chart's y axis: the label, right-aligned before the axis;
 * text people typed (organisation names) is marked as user content.
 */
export function categoryTick(label: (value: string) => { text: string; userContent: boolean }) {
  return function CategoryTick({ x, y, payload }: TickProps) {
    const { text, userContent } = label(typeof payload?.value === 'string' ? payload.value : '');
    const element = (
      <text x={Number(x) - 6} y={Number(y)} dy="0.32em" textAnchor="end" fill="#1d2521" fontSize="14">
        {text}
      </text>
    );
    return userContent ? <g data-user-content="">{element}</g> : element;
  };
}
