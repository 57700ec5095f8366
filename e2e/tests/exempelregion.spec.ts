import { test, expect, Browser, Page } from '@playwright/test';
import { assess, checkPage, chooseTrack, confirmDecision, decideEnrolled, fillRequest, homeCheck, meetPrimaryCareCriteria, openFromInbox, step } from './helpers';

// A second region adopts Samsyn by its rule set alone: the same binary, started with
// `--rules rules/exempel-2026.toml` on an empty database, serves Region Exempel's demo county.
const base = process.env.SAMSYN_E2E_EXAMPLE_URL ?? 'http://127.0.0.1:18081';

async function signIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill('samsyn-demo');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in' })).toHaveCount(0);
  return page;
}

test('exempelregionen: egna kommuner, inget psykiatrispår, två potter, och varje sida säger att regionen är påhittad', async ({ browser }) => {
  const nurse = await signIn(browser, 'sjukskoterska');
  const banner = nurse.getByRole('note').filter({ hasText: 'EXEMPEL' });
  await expect(banner).toContainText('Region Exempel är en påhittad region');
  await expect(nurse.locator('body')).toContainText('Hemsjukvården Ekby');
  await expect(nurse.locator('body')).not.toContainText('Örebro');
  await checkPage(nurse, 'exempel-inkorg');

  // The example's agreement has no psychiatric sub-process: the form does not offer it.
  const psychiatrist = await signIn(browser, 'psykiater');
  await psychiatrist.goto('/begaran/ny?spar=specialiserad');
  await expect(psychiatrist.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(psychiatrist.getByLabel(/behandlingsansvaret kvarstår hos psykiatrin/)).toHaveCount(0);
  await expect(psychiatrist.getByRole('note').filter({ hasText: 'EXEMPEL' })).toBeVisible();
  await checkPage(psychiatrist, 'exempel-begaran-specialiserad');

  // The tilläggsbelopp: the example's two pots, the basic one by all inhabitants.
  const economist = await signIn(browser, 'ekonom');
  await economist.goto('/tillagg?ar=2026');
  const body = economist.locator('main');
  await expect(body).toContainText('Grundbelopp');
  await expect(body).toContainText('Kompensation för avstånd');
  await expect(body).not.toContainText('Avancerad hemsjukvård');
  await expect(economist.locator('footer')).toContainText('exempel: påhittad region');
  // Two pots, and the table's parts sum exactly: each municipality's pots to its total, each
  // pot's municipalities to the county's figure.
  const table = economist.getByRole('table', { name: /Tilläggsbelopp 2026 per kommun och pott/ });
  await expect(table.locator('thead th')).toHaveCount(4);
  const kronor = (text: string) => Number(text.replace(/[^0-9-]/g, ''));
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
  const county = await table.locator('tfoot td').allTextContents();
  expect(rows.length).toBe(3);
  expect(kronor(county[2])).toBeGreaterThan(0);
  for (const row of rows) {
    expect(kronor(row[0]) + kronor(row[1])).toBe(kronor(row[2]));
  }
  for (const column of [0, 1, 2]) {
    expect(rows.reduce((sum, row) => sum + kronor(row[column]), 0)).toBe(kronor(county[column]));
  }
  await checkPage(economist, 'exempel-tillaggsbelopp');
});

/** Today plus `days` working days, counting weekends only: a holiday can only make the real
 * deadline later, never earlier. */
function weekdaysFromToday(days: number): string {
  const d = new Date();
  let left = days;
  while (left > 0) {
    d.setDate(d.getDate() + 1);
    if (d.getDay() !== 0 && d.getDay() !== 6) {
      left -= 1;
    }
  }
  return d.toISOString().slice(0, 10);
}

test('exempelregionen: en begäran skickas, kvitteras inom två arbetsdagar, bedöms och beslutas; mätningen stämmer', async ({ browser }) => {
  const patient = { personnummer: '19040114-9810', name: 'Ebba Exempelsson' };
  const doctor = await signIn(browser, 'lakare');
  await doctor.getByRole('link', { name: 'Ny begäran' }).click();
  await chooseTrack(doctor, 'Spår 1: regional primärvård');
  await fillRequest(doctor, patient, 'Ekby');
  await checkPage(doctor, 'exempel-ny-begaran');
  await doctor.getByRole('button', { name: 'Skicka begäran' }).click();
  await expect(doctor.getByRole('status')).toHaveText('Begäran är skickad till kommunen.');
  const url = doctor.url().split('?')[0];

  // The example's kvittens is due two working days after sending, not Örebro's one.
  const nurse = await signIn(browser, 'sjukskoterska');
  await openFromInbox(nurse, patient);
  const due = (await nurse.locator('dt:text-is("Kvittera senast") + dd').innerText()).slice(0, 10);
  expect(due >= weekdaysFromToday(2), `kvittens due ${due}`).toBe(true);
  await step(nurse, 'Kvittera mottagen begäran', 'Begäran är kvitterad.');
  await expect(nurse.locator('.state')).toHaveText('Kvitterad');
  await expect(nurse.locator('.deadline')).not.toContainText('sent');
  await step(nurse, 'Påbörja gemensam bedömning', 'Den gemensamma bedömningen har börjat.');
  await meetPrimaryCareCriteria(nurse);
  await assess(nurse, 'Behöver läkemedelshantering och viktkontroll.');
  await homeCheck(nurse, true);
  await checkPage(nurse, 'exempel-under-bedomning');

  await doctor.goto(url);
  await assess(doctor, 'Medicinskt stabil; hemsjukvård är rätt vårdnivå.');
  await nurse.goto(url);
  await decideEnrolled(nurse);
  await expect(nurse.getByRole('status')).toContainText('Beslutsförslaget är registrerat: inskriven.');
  await confirmDecision(doctor, url, 'exempel');
  await expect(doctor.locator('.state')).toHaveText('Beslutad: inskriven');
  await expect(doctor.locator('body')).not.toContainText('Örebro');
  await checkPage(doctor, 'exempel-beslutad');

  // The measurement of the example's own files reproduces its published outcome.
  const economist = await signIn(browser, 'ekonom');
  await economist.goto('/matning?period=2026-03');
  await expect(economist.locator('main')).toContainText('Stämmer exakt med det publicerade utfallet för 2026-03');
  await expect(economist.locator('main')).not.toContainText('Örebro');
  await checkPage(economist, 'exempel-matning');
});
