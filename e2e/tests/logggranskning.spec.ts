import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import { checkPage, isoDay, login } from './helpers';

test('logggranskaren i Örebro hittar Kumlas nekade försök, drar ett stickprov om 10, bedömer det och exporterar', async ({ browser }) => {
  // Kumla's nurse tries to open one of Örebro's cases and is refused.
  const orebroNurse = await login(browser, 'sjukskoterska');
  await orebroNurse.getByRole('navigation').getByRole('link', { name: /^Begäranden/ }).click();
  const caseLink = orebroNurse.locator('table a[href^="/begaran/"]').first();
  const caseUrl = (await caseLink.getAttribute('href'))!;
  const caseId = caseUrl.split('/').pop()!;
  const kumla = await login(browser, 'sjukskoterska.kumla');
  const refused = await kumla.goto(caseUrl);
  expect(refused?.status()).toBe(404);

  // Örebro's reviewer finds the attempt: emergency access comes first (the demo's), then
  // denials, and the filter narrows to it.
  const reviewer = await login(browser, 'logggranskare');
  await expect(reviewer.getByRole('heading', { level: 1 })).toHaveText('Åtkomstlogg');
  const log = reviewer.getByRole('table', { name: /loggposter/ });
  await expect(log.getByRole('row').nth(1)).toContainText('Nödåtkomst.');
  await expect(log.getByRole('row').filter({ hasNotText: 'Nödåtkomst.' }).nth(1)).toContainText('Nekad');
  await reviewer.getByLabel('Användarnamn').fill('sjukskoterska.kumla');
  await reviewer.getByLabel('Utfall').selectOption({ label: 'Nekad' });
  await reviewer.getByLabel('Från och med', { exact: true }).first().fill(isoDay(0));
  await reviewer.getByRole('button', { name: 'Sök', exact: true }).click();
  const attempt = log.getByRole('row').filter({ hasText: caseId });
  await expect(attempt).toContainText('Sjuksköterska Kumla (sjukskoterska.kumla)');
  await expect(attempt).toContainText('Hemsjukvården Kumla');
  await expect(attempt).toContainText('Läsning');
  await expect(attempt).toContainText('Nekad');
  await checkPage(reviewer, '30-logggranskning-nekade');

  // The filtered log as CSV.
  const logFile = reviewer.waitForEvent('download');
  await reviewer.getByRole('button', { name: 'Exportera till CSV' }).click();
  const logDownload = await logFile;
  expect(logDownload.suggestedFilename()).toMatch(/^atkomstlogg-\d{4}-\d{2}-\d{2}\.csv$/);
  const logCsv = fs.readFileSync((await logDownload.path())!, 'utf8');
  expect(logCsv).toContain(caseId);
  expect(logCsv).toContain('sjukskoterska.kumla');

  // A sample of ten accesses over the last month.
  const samples = reviewer.getByRole('region', { name: 'Stickprov' });
  await samples.getByLabel('Åtkomster').check();
  await samples.getByLabel('Från och med').fill(isoDay(-30));
  await samples.getByLabel('Till och med').fill(isoDay(0));
  await samples.getByLabel(/^Antal/).fill('10');
  await samples.getByRole('button', { name: 'Dra stickprov' }).click();
  await expect(reviewer.getByRole('heading', { level: 1 })).toContainText('Stickprov');
  await expect(reviewer.getByText(/^10 av \d+ åtkomster under perioden$/)).toBeVisible();
  await checkPage(reviewer, '31-stickprov-draget');

  for (let item = 1; item <= 10; item++) {
    const section = reviewer.locator(`#punkt-${item}`);
    if (item === 3) {
      await section.getByLabel('Följs upp').check();
      await section.getByLabel('Anteckning').fill('Fråga enhetschefen om vårdrelationen.');
    } else {
      await section.getByLabel('Utan anmärkning').check();
    }
    await section.getByRole('button', { name: 'Spara bedömning' }).click();
    await expect(reviewer.locator(`#punkt-${item} h2`)).toContainText(item === 3 ? 'Följs upp' : 'Utan anmärkning');
  }
  await expect(reviewer.getByText('10 av 10, varav 1 följs upp')).toBeVisible();
  await checkPage(reviewer, '32-stickprov-granskat');

  const sampleFile = reviewer.waitForEvent('download');
  await reviewer.getByRole('link', { name: 'Exportera till CSV' }).click();
  const sampleDownload = await sampleFile;
  expect(sampleDownload.suggestedFilename()).toMatch(/^stickprov-.*\.csv$/);
  const lines = fs.readFileSync((await sampleDownload.path())!, 'utf8').trim().split(/\r\n/);
  expect(lines).toHaveLength(11);
  expect(lines[3]).toMatch(/^3;Följs upp;Fråga enhetschefen om vårdrelationen\.;Lotta Lööf;/);
  expect(lines.slice(1).every((line) => /^\d+;(Utan anmärkning|Följs upp);/.test(line))).toBe(true);

  // The sample stays in the list with its progress.
  await reviewer.getByRole('link', { name: 'Tillbaka till åtkomstloggen' }).click();
  const kept = reviewer.getByRole('table', { name: 'Dragna stickprov, nyast först' }).getByRole('row').nth(1);
  await expect(kept).toContainText('10 av');
  await expect(kept).toContainText('Lotta Lööf');
  await checkPage(reviewer, '33-atkomstlogg-stickprov');
});
