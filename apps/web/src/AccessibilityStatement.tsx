import type { Locale } from './i18n.js';

/**
 * The accessibility statement that Swedish public services publish (lagen (2018:1937) om
 * tillgänglighet till digital offentlig service; WCAG 2.1 AA / EN 301 549).
 */
export function AccessibilityStatement({ locale }: { locale: Locale }) {
  if (locale === 'en') {
    return (
      <article aria-labelledby="a11y-heading">
        <h2 id="a11y-heading">Accessibility statement</h2>
        <p>Samverkan is meant to be usable by everyone in the network, with a keyboard, a screen reader or enlarged text.</p>
        <h3>Compliance status</h3>
        <p>
          The service partially complies with WCAG 2.1 level AA (EN 301 549). Every page is tested automatically with axe in a real browser
          on each change, and keyboard use is part of the tests.
        </p>
        <h3>Known shortcomings</h3>
        <ul>
          <li>The structured plan and pilot editors are still being built; until then documents are edited as plain text.</li>
          <li>Announcements of other people's changes for screen reader users are not in place yet.</li>
        </ul>
        <h3>Report a problem</h3>
        <p>Tell the network's administrator (your energy agency) about anything that stops you; we answer within two working weeks.</p>
        <h3>Supervision</h3>
        <p>The Agency for Digital Government (DIGG) supervises the law on accessibility to digital public services. If you are not satisfied with our answer, you can report it to DIGG.</p>
      </article>
    );
  }
  return (
    <article aria-labelledby="a11y-heading">
      <h2 id="a11y-heading">Tillgänglighetsredogörelse</h2>
      <p>Samverkan ska gå att använda för alla i nätverket, med tangentbord, skärmläsare eller förstorad text.</p>
      <h3>Hur tillgänglig är tjänsten?</h3>
      <p>
        Tjänsten är delvis förenlig med WCAG 2.1 nivå AA (EN 301 549). Varje sida testas automatiskt med axe i en riktig webbläsare vid
        varje ändring, och tangentbordsanvändning ingår i testerna.
      </p>
      <h3>Kända brister</h3>
      <ul>
        <li>De strukturerade redigerarna för handlingsplaner och pilotloggar byggs fortfarande; tills dess redigeras dokument som text.</li>
        <li>Uppläsning av andras ändringar för skärmläsaranvändare finns inte ännu.</li>
      </ul>
      <h3>Rapportera brister</h3>
      <p>Berätta för nätverkets administratör (ert energikontor) om något hindrar dig; vi svarar inom två arbetsveckor.</p>
      <h3>Tillsyn</h3>
      <p>
        Myndigheten för digital förvaltning (DIGG) har tillsyn över lagen om tillgänglighet till digital offentlig service. Om du inte är
        nöjd med vårt svar kan du anmäla det till DIGG.
      </p>
    </article>
  );
}
