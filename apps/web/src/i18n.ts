/** Interface text, Swedish first. A translation library replaces this with the web app shell. */
const messages = {
  sv: {
    appName: 'Samverkan',
    tagline: 'Klimatarbete tillsammans i nätverket',
    documents: 'Dokument',
    noDocuments: 'Inga dokument ännu.',
    newDocument: 'Nytt dokument',
    title: 'Titel',
    type: 'Typ',
    create: 'Skapa',
    plan: 'Handlingsplan',
    pilot: 'Pilotlogg',
    board: 'Mötestavla',
    notes: 'Anteckningar',
    saved: 'Sparat',
    saving: 'Sparar…',
    offline: 'Inte ansluten – ändringarna sparas när anslutningen är tillbaka',
    reload: 'En ny version finns. Ladda om sidan för att fortsätta redigera.',
    notFound: 'Dokumentet finns inte eller så saknar du behörighet.',
    back: 'Tillbaka till dokumenten',
    loadFailed: 'Kunde inte hämta dokumenten.',
    language: 'In English',
  },
  en: {
    appName: 'Samverkan',
    tagline: 'Climate work together across the network',
    documents: 'Documents',
    noDocuments: 'No documents yet.',
    newDocument: 'New document',
    title: 'Title',
    type: 'Type',
    create: 'Create',
    plan: 'Action plan',
    pilot: 'Pilot log',
    board: 'Meeting board',
    notes: 'Notes',
    saved: 'Saved',
    saving: 'Saving…',
    offline: 'Not connected – your changes are saved when the connection returns',
    reload: 'A new version is available. Reload the page to keep editing.',
    notFound: 'The document does not exist or you do not have access to it.',
    back: 'Back to documents',
    loadFailed: 'Could not load the documents.',
    language: 'På svenska',
  },
} as const;

export type Locale = keyof typeof messages;
export type MessageKey = keyof (typeof messages)['sv'];

export function translate(locale: Locale, key: MessageKey): string {
  return messages[locale][key];
}
