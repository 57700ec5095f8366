import { test, expect, Page } from '@playwright/test';
import * as fs from 'fs';
import { checkPage, login } from './helpers';

// One whole yearly follow-up through four accounts.
test.setTimeout(240_000);

/** Clicks a download link and returns the file's first bytes and its suggested name. */
async function download(page: Page, link: string): Promise<{ name: string; head: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: link, exact: true }).click(),
  ]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), head: fs.readFileSync(saved).subarray(0, 5).toString('latin1') };
}

test('vårdcentralen och kommunen besvarar enkäten tillsammans, Hälsoval sammanställer och granskar ett stickprov, chefsgruppen gör årsrapporten slutlig', async ({ browser }) => {
  const year = new Date().getFullYear();
  const pair = 'Vårdcentralen Örebro centrum – Örebro';

  // The vårdcentral fills in the home health care variant and asks the municipality to agree.
  const region = await login(browser, 'verksamhetschef');
  await region.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Enkät' }).click();
  await expect(region.getByRole('heading', { level: 1 })).toContainText(`Enkät ${year}`);
  await checkPage(region, 'enkat-lista');
  await region
    .getByRole('row')
    .filter({ hasText: 'Hälso- och sjukvård i hemmet' })
    .getByRole('link', { name: pair })
    .click();
  await expect(region.getByRole('heading', { level: 1 })).toContainText(pair);
  const answers = region.getByRole('radio', { name: 'Fungerar i huvudsak' });
  const questions = await answers.count();
  expect(questions).toBeGreaterThan(5);
  for (let i = 0; i < questions; i++) {
    await answers.nth(i).check();
  }
  await region.getByRole('button', { name: 'Be den andra parten godkänna' }).click();
  await expect(region.getByRole('alert')).toContainText('Skriv vilka som deltog från vårdcentralen');
  await region.getByLabel('Styrkor', { exact: true }).fill('Korta kontaktvägar och en namngiven sjuksköterska.');
  await region.getByLabel('Utmaningar', { exact: true }).fill('Läkemedelsgenomgångar görs inte konsekvent.');
  await region.getByLabel('Deltagare från vårdcentralen').fill('Verksamhetschef, distriktssköterska, läkare');
  await region.getByLabel('Deltagare från kommunen').fill('Enhetschef, sjuksköterska');
  await checkPage(region, 'enkat-formular');
  await region.getByRole('button', { name: 'Be den andra parten godkänna' }).click();
  await expect(region.getByRole('status')).toContainText('ombeds nu att godkänna');
  await expect(region.getByText('Väntar på att kommunen godkänner.')).toBeVisible();

  // The municipality reads it and agrees, which submits it.
  const municipality = await login(browser, 'sjukskoterska');
  await municipality.goto(`/enkat?ar=${year}`);
  await municipality
    .getByRole('row')
    .filter({ hasText: 'Hälso- och sjukvård i hemmet' })
    .getByRole('link', { name: pair })
    .click();
  await expect(municipality.getByText('Vårdcentralen ber er godkänna enkäten')).toBeVisible();
  await checkPage(municipality, 'enkat-godkann');
  await municipality.getByRole('button', { name: 'Godkänn och skicka in' }).click();
  await expect(municipality.getByRole('status')).toContainText('inskickad till Hälsoval');

  // Hälsoval sees it in the compilation, then draws and reviews a sample of treatment plans.
  const healthChoice = await login(browser, 'halsoval');
  await expect(healthChoice.getByRole('heading', { level: 1 })).toContainText(`Enkät ${year}: sammanställning`);
  await expect(
    healthChoice
      .getByRole('table', { name: `Par och svar ${year}` })
      .getByRole('row')
      .filter({ hasText: pair })
      .filter({ hasText: 'Hälso- och sjukvård i hemmet' }),
  ).toContainText('Inskickad');
  await expect(healthChoice.getByText('Korta kontaktvägar och en namngiven sjuksköterska.')).toBeVisible();
  await checkPage(healthChoice, 'enkat-sammanstallning');
  await healthChoice.getByRole('navigation', { name: 'Uppföljningens delar' }).getByRole('link', { name: 'Stickprov' }).click();
  await healthChoice.getByLabel('Frö').fill('4711');
  await healthChoice.getByRole('button', { name: 'Dra stickprov' }).click();
  await expect(healthChoice.getByRole('status')).toContainText('Stickprovet är draget');
  await checkPage(healthChoice, 'stickprov-urval');
  await healthChoice.getByRole('link', { name: 'Plan 1', exact: true }).click();
  for (const point of ['Uppföljning gjord i tid', 'Personen deltog i planeringen']) {
    await healthChoice.getByRole('group', { name: point }).getByLabel('Ja').check();
  }
  await healthChoice.getByRole('group', { name: /Samordningsansvarig utsedd/ }).getByLabel('Nej').check();
  await healthChoice.getByRole('button', { name: 'Spara granskningen' }).click();
  await expect(healthChoice.getByRole('alert')).toContainText('Beskriv bristerna');
  await healthChoice.getByLabel('Anteckning').fill('Samordningsansvarig saknas; återkopplat till enheterna.');
  await checkPage(healthChoice, 'stickprov-granskning');
  await healthChoice.getByRole('button', { name: 'Spara granskningen' }).click();
  await expect(healthChoice.getByRole('status')).toContainText('Granskningen är sparad.');

  // Chefsgruppen reads the plan and the indicators, then makes the year's report final.
  const chiefs = await login(browser, 'chefsgrupp');
  await expect(chiefs.getByRole('heading', { level: 1 })).toHaveText(`Uppföljning ${year}`);
  await expect(chiefs.getByText(`Beslutad av chefsgruppen ${year}-02-10`)).toBeVisible();
  await checkPage(chiefs, 'uppfoljning-plan');
  const parts = chiefs.getByRole('navigation', { name: 'Uppföljningens delar' });
  await parts.getByRole('link', { name: 'Indikatorer' }).click();
  await expect(chiefs.getByRole('heading', { level: 2, name: /Kvitterade i tid/ })).toBeVisible();
  await checkPage(chiefs, 'uppfoljning-indikatorer');
  await parts.getByRole('link', { name: 'Årsrapport' }).click();
  await chiefs.getByLabel('Sammanfattning', { exact: true }).fill('Samverkan fungerar i huvudsak väl; kvittenserna behöver bli snabbare.');
  await chiefs.getByLabel('Förslag', { exact: true }).fill('Ta fram en metod för personernas egen upplevelse inför 2027.');
  await chiefs.getByRole('button', { name: 'Gör rapporten slutlig' }).click();
  await expect(chiefs.getByRole('alert')).toContainText('Bekräfta att rapporten ska bli slutlig');
  await checkPage(chiefs, 'uppfoljning-rapport');
  await chiefs.getByLabel('Jag bekräftar att rapporten ska bli slutlig').check();
  await chiefs.getByRole('button', { name: 'Gör rapporten slutlig' }).click();
  await expect(chiefs.getByRole('status')).toContainText('Årsrapporten är slutlig');
  await expect(chiefs.getByText('Slutlig rapport, fastställd av Cecilia Corell')).toBeVisible();
  await expect(chiefs.getByRole('button', { name: 'Gör rapporten slutlig' })).toHaveCount(0);
  await checkPage(chiefs, 'uppfoljning-rapport-slutlig');
  const pdf = await download(chiefs, 'PDF');
  expect(pdf.name).toBe(`uppfoljning-${year}.pdf`);
  expect(pdf.head).toBe('%PDF-');
  const xlsx = await download(chiefs, 'Excel (ett blad per tabell)');
  expect(xlsx.name).toBe(`uppfoljning-${year}.xlsx`);
  expect(xlsx.head.startsWith('PK')).toBe(true);
});
