import { test, expect, Page, Browser } from '@playwright/test';
import { assess, checkPage, login, openFromInbox, sendRequest, step } from './helpers';

test.describe.configure({ mode: 'serial' });
// Each test walks a whole process through several accounts.
test.setTimeout(240_000);

/** Records what the ladder's current level came to. */
async function record(page: Page, outcome: string, text: string) {
  await page.getByRole('group', { name: 'Utfall' }).getByLabel(outcome).check();
  if (text) {
    await page.getByLabel('Vem gör vad, eller varför parterna inte är överens').fill(text);
  }
  await page.getByRole('button', { name: 'Registrera', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Nivåns utfall är registrerat.');
}

const MANAGER_PASSWORD = 'lingon kompass ekorre fjäril';

/**
 * The municipality's second enhetschef at Hemsjukvården Örebro, made by the administrator and
 * signed in: the demo's `enhetschef` changes her password in another test.
 */
async function municipalManager(browser: Browser): Promise<Page> {
  const admin = await login(browser, 'administrator');
  await admin.getByLabel('Användarnamn', { exact: true }).fill('maja.malm');
  await admin.getByLabel('Namn', { exact: true }).fill('Maja Malm');
  await admin.getByLabel('Roll').selectOption({ label: 'Enhetschef' });
  await admin.getByLabel('Enhet').selectOption({ label: 'Hemsjukvården Örebro' });
  await admin.getByLabel('Lösenord', { exact: true }).check();
  await admin.getByLabel('Första lösenord').fill(MANAGER_PASSWORD);
  await admin.getByRole('button', { name: 'Skapa kontot' }).click();
  await expect(admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'maja.malm', exact: true }) })).toBeVisible();
  const page = await (await browser.newContext()).newPage();
  await page.goto('/logga-in');
  await page.getByLabel('Användarnamn').fill('maja.malm');
  await page.getByLabel('Lösenord').fill(MANAGER_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  // A manager starts on the deviations and disagreements of her unit.
  await expect(page.getByRole('heading', { level: 1, name: 'Avvikelser i samverkan' })).toBeVisible();
  return page;
}

/** Fills in the oenighet's form on the case page: what it is about, the managers, meanwhile. */
async function fillDisagreement(page: Page) {
  await page.getByLabel('Vad är parterna oeniga om?').fill('Om personen kan ta sig till mottagningen.');
  await page.getByLabel('Regionens närmaste linjechef').fill('Vera Vall, verksamhetschef');
  await page.getByLabel('Kommunens närmaste linjechef').fill('Eva Ek, enhetschef');
  await page.getByLabel('Hur tillgodoses personens behov under tiden?').fill('Vårdcentralen gör hembesöken; kommunen hjälper med dosetten.');
}

/** Raises the question to the next level, naming each party's manager there. */
async function raise(page: Page, region: string, municipality: string) {
  await page.getByLabel('Regionens chef som frågan lyfts till').fill(region);
  await page.getByLabel('Kommunens chef som frågan lyfts till').fill(municipality);
  await page.getByRole('button', { name: 'Lyft frågan' }).click();
  await expect(page.getByRole('status')).toContainText('Frågan är lyft till nästa nivå.');
}

test('en oenighet går från lokal nivå till länsgruppen och ansvaret går över först när den är löst', async ({ browser }) => {
  const patient = { personnummer: '19440512-9802', name: 'Hilda Hjort' };
  const doctor = await login(browser, 'lakare');
  const url = await sendRequest(doctor, patient, async () => {}, 'oenighet');

  const nurse = await login(browser, 'sjukskoterska');
  await openFromInbox(nurse, patient);
  await step(nurse, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
  await step(nurse, 'Påbörja gemensam bedömning', 'Den gemensamma bedömningen har börjat.');
  await assess(nurse, 'Personen tar sig till mottagningen med färdtjänst.');

  // An oenighet is about two assessments: before the doctor has made hers it is refused, and
  // every missing part of the form is named.
  await nurse.getByRole('button', { name: 'Besluta: oenighet' }).click();
  await expect(nurse.getByRole('alert')).toContainText('Beskriv vad parterna är oeniga om.');
  await expect(nurse.getByRole('alert')).toContainText('Ange regionens närmaste linjechef');
  await checkPage(nurse, 'oenighet-01-fel');
  await fillDisagreement(nurse);
  await nurse.getByRole('button', { name: 'Besluta: oenighet' }).click();
  await expect(nurse.getByRole('alert')).toContainText('när båda parter har gjort och registrerat sin bedömning');

  await doctor.goto(url);
  await assess(doctor, 'Personen kan inte ta sig till mottagningen utan betydande ansträngning.');

  await nurse.goto(url);
  await fillDisagreement(nurse);
  await step(nurse, 'Besluta: oenighet', 'Oenigheten är registrerad.');
  const panel = nurse.locator('#oenighet');
  await expect(panel).toContainText('Vårdcentralen Örebro centrum har kvar ansvaret för personens hälso- och sjukvård tills oenigheten är löst.');
  await expect(panel).toContainText('Personens behov går först. Under tiden: Vårdcentralen gör hembesöken');
  await expect(panel).toContainText('Lokal nivå senast');
  await checkPage(nurse, 'oenighet-02-arende');

  // The municipality's manager: no agreement locally; the question goes to the managers with
  // economic mandate.
  const municipality = await municipalManager(browser);
  await municipality.goto(`${url}/oenighet`);
  await expect(municipality.getByRole('heading', { level: 1 })).toHaveText('Oenighet: Hilda Hjort');
  await checkPage(municipality, 'oenighet-03-trappan');
  await record(municipality, 'Inte överens', 'Kommunen menar att färdtjänst räcker.');
  await raise(municipality, 'Primärvårdsdirektör Per Persson', 'Socialchef Siv Sund');

  // The region's manager: no costs involved, then on up the line, where they still disagree.
  const region = await login(browser, 'verksamhetschef');
  await region.goto(`${url}/oenighet`);
  await record(region, 'Inga kostnader ingår', '');
  await raise(region, 'Hälso- och sjukvårdsdirektör Anna Alm', 'Kommundirektör Bo Berg');
  await record(region, 'Inte överens', 'Parterna tolkar kriteriet olika.');

  // The county report needs its three parts.
  await region.getByRole('button', { name: 'Anmäl till länsgruppen' }).click();
  await expect(region.getByRole('alert')).toContainText('(a) en kortfattad beskrivning av ärendet');
  await expect(region.getByRole('alert')).toContainText('(c) orsak och motiv');
  await checkPage(region, 'oenighet-04-anmalan-fel');
  await region.getByLabel('a. Kortfattad beskrivning av ärendet').fill('E2E: en person med hjärtsvikt behöver viktkontroll efter utskrivning.');
  await region.getByLabel('b. Parternas olika tolkningar').fill('Regionen: betydande ansträngning. Kommunen: färdtjänst räcker.');
  await region.getByLabel('c. Orsak och motiv till att parterna inte kommer överens').fill('Kriteriet saknar exempel på betydande ansträngning.');
  await region.getByRole('button', { name: 'Anmäl till länsgruppen' }).click();
  await expect(region.getByRole('status')).toContainText('Oenigheten är anmäld till länsgruppen.');
  await checkPage(region, 'oenighet-05-anmald');

  // The county group sees the report without the person, and gives its guidance.
  const group = await login(browser, 'lansgrupp');
  await expect(group.getByRole('heading', { level: 1 })).toHaveText('Länsgruppen för oenighet');
  const reported = group.locator('section').filter({ hasText: 'E2E: en person med hjärtsvikt' });
  await expect(reported).toContainText('Inte bifogad');
  await expect(group.getByText('Hilda Hjort')).toHaveCount(0);
  await reported.getByLabel('Gruppens vägledning').fill('Färdtjänst förutsätter att besöket inte försämrar tillståndet.');
  await reported.getByLabel('Förslag till förtydligande').fill('Förtydliga kriteriet med exempel vid hjärtsvikt.');
  await reported.getByLabel('Anmäld till chefsgruppens arbetsutskott').fill('2026-01-15');
  await reported.getByRole('button', { name: 'Spara vägledningen' }).click();
  await expect(group.getByRole('status')).toContainText('Vägledningen är registrerad.');
  await checkPage(group, 'oenighet-06-lansgruppen');

  // After the guidance the municipality records an agreement; until the region confirms it the
  // responsibility stays where it was.
  await municipality.goto(`${url}/oenighet`);
  await expect(municipality.getByText('Färdtjänst förutsätter att besöket inte försämrar tillståndet.')).toBeVisible();
  await record(municipality, 'Överens (skriv vem', 'Personen skrivs in; kommunens sjuksköterska gör viktkontrollen.');
  await expect(municipality.getByText('Väntar på att den andra parten bekräftar överenskommelsen.')).toBeVisible();
  await nurse.goto(url);
  await expect(nurse.locator('#oenighet')).toContainText('har kvar ansvaret');

  await region.goto(`${url}/oenighet`);
  await step(region, 'Bekräfta överenskommelsen', 'Oenigheten är löst och ansvaret går över enligt den.');
  await checkPage(region, 'oenighet-07-lost');
  await nurse.goto(url);
  await expect(nurse.locator('#oenighet')).toContainText('Oenigheten är löst. Ansvaret gäller enligt överenskommelsen: Personen skrivs in');
  await checkPage(nurse, 'oenighet-08-arende-lost');

  // The yearly compilation counts it, with the group's proposal, and names no one.
  await region.getByRole('link', { name: 'Oenighet per år' }).click();
  await expect(region.getByRole('heading', { level: 1 })).toContainText('Oenighet: årssammanställning');
  await expect(region.getByText('Förtydliga kriteriet med exempel vid hjärtsvikt.')).toBeVisible();
  await expect(region.getByText('Hilda Hjort')).toHaveCount(0);
  await checkPage(region, 'oenighet-09-sammanstallning');
});

test('kommunens sjuksköterska rapporterar en avvikelse som regionens chef besvarar', async ({ browser }) => {
  const nurse = await login(browser, 'sjukskoterska');
  await nurse.getByRole('navigation').getByRole('link', { name: 'Avvikelser' }).click();
  await checkPage(nurse, 'avvikelse-01-lista');
  await nurse.getByRole('link', { name: 'Rapportera avvikelse' }).click();
  await nurse.getByRole('button', { name: 'Rapportera' }).click();
  await expect(nurse.getByRole('alert')).toContainText('Välj vad avvikelsen gäller.');
  await expect(nurse.getByRole('alert')).toContainText('Välj den enhet hos den andra parten');
  await checkPage(nurse, 'avvikelse-02-fel');
  await nurse.getByLabel('SIP inte hållen').check();
  await nurse.getByLabel('Den andra partens enhet').selectOption({ label: 'Vårdcentralen Örebro centrum (Region Örebro län)' });
  await nurse.getByLabel('Vad hände?').fill('E2E: vårdcentralen kallade inte till SIP trots begäran för två veckor sedan.');
  await nurse.getByRole('button', { name: 'Rapportera' }).click();
  await expect(nurse.getByRole('status')).toContainText('Avvikelsen är rapporterad.');
  const deviationUrl = nurse.url().split('?')[0];
  await checkPage(nurse, 'avvikelse-03-rapporterad');

  // The region's manager finds it waiting for her unit and answers it.
  const manager = await login(browser, 'verksamhetschef');
  await manager.getByRole('navigation').getByRole('link', { name: 'Avvikelser' }).click();
  const waiting = manager.locator('section').filter({ has: manager.getByRole('heading', { name: 'Väntar på er enhet' }) });
  await waiting.getByRole('row').filter({ hasText: 'SIP inte hållen' }).filter({ hasText: 'Hemsjukvården Örebro' }).first().getByRole('link').click();
  await expect(manager.getByText('E2E: vårdcentralen kallade inte till SIP')).toBeVisible();
  await manager.getByRole('button', { name: 'Skicka svaret' }).click();
  await expect(manager.getByRole('alert')).toContainText('Beskriv vad utredningen visar.');
  await manager.getByLabel('Vad visar utredningen?').fill('Begäran om SIP kom till en brevlåda som inte bevakades.');
  await manager.getByLabel('Vilka åtgärder vidtar ni?').fill('Brevlådan bevakas nu varje vardag.');
  await step(manager, 'Skicka svaret', 'Svaret är registrerat.');
  await checkPage(manager, 'avvikelse-04-besvarad');

  // The nurse reads the answer and closes it.
  await nurse.goto(deviationUrl);
  await expect(nurse.getByText('Brevlådan bevakas nu varje vardag.')).toBeVisible();
  await nurse.getByLabel('Er slutsats').fill('Svaret räcker.');
  await step(nurse, 'Avsluta avvikelsen', 'Avvikelsen är avslutad.');
  await checkPage(nurse, 'avvikelse-05-avslutad');

  // A nurse in another municipality cannot open it.
  const kumla = await login(browser, 'sjukskoterska.kumla');
  const refused = await kumla.goto(deviationUrl);
  expect(refused?.status()).toBe(404);

  // The region's manager sees Samsyn's own proposals among her party's deviations, and the
  // year's statistics.
  await manager.getByRole('navigation').getByRole('link', { name: 'Avvikelser' }).click();
  await expect(manager.getByText('Upptäckt av Samsyn').first()).toBeVisible();
  await manager.getByRole('link', { name: 'Statistik per år' }).click();
  await expect(manager.getByRole('heading', { level: 1 })).toContainText('Avvikelser i samverkan');
  await checkPage(manager, 'avvikelse-06-statistik');
});
