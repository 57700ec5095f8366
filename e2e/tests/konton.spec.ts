import { test, expect, type Browser } from '@playwright/test';
import { checkPage, login } from './helpers';

const NEW_PASSWORD = 'ekorre kompass vinbär tunnel';

/** Types a wrong password for `username` five times, which locks the account for this address. */
async function guessWrong(browser: Browser, username: string) {
  const guesser = await (await browser.newContext()).newPage();
  await guesser.goto('/logga-in');
  for (let attempt = 0; attempt < 5; attempt++) {
    await guesser.getByLabel('Användarnamn').fill(username);
    await guesser.getByLabel('Lösenord').fill('fel lösenord');
    await guesser.getByRole('button', { name: 'Logga in' }).click();
    await expect(guesser.getByRole('alert')).toContainText('Fel användarnamn eller lösenord');
  }
  return guesser;
}

test('administratören låser upp ett låst konto; enhetschefen byter lösenord och loggas ut överallt annars', async ({ browser }) => {
  // Someone types the unit manager's password wrong five times: the account locks for that address.
  const guesser = await guessWrong(browser, 'enhetschef');
  await guesser.getByLabel('Användarnamn').fill('enhetschef');
  await guesser.getByLabel('Lösenord').fill('samsyn-demo');
  await guesser.getByRole('button', { name: 'Logga in' }).click();
  await expect(guesser.getByRole('alert')).toContainText('be en administratör låsa upp kontot');

  // The administrator starts on her party's accounts and unlocks it.
  const admin = await login(browser, 'administrator');
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Användare');
  const row = admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'enhetschef', exact: true }) });
  await expect(row).toContainText('Låst');
  await checkPage(admin, '40-anvandare-last');
  await row.getByRole('button', { name: 'Lås upp enhetschef' }).click();
  await expect(row).toContainText('Aktivt');

  // Signed in twice, she changes her password in one browser; the other session ends.
  const manager = await login(browser, 'enhetschef');
  const elsewhere = await login(browser, 'enhetschef');
  await manager.getByRole('link', { name: 'Byt lösenord' }).click();
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText('Byt lösenord');
  await checkPage(manager, '41-byt-losenord');
  await manager.getByLabel('Nuvarande lösenord').fill('samsyn-demo');
  await manager.getByLabel('Nytt lösenord').fill('password1234');
  await manager.getByLabel('Upprepa det nya lösenordet').fill('password1234');
  await manager.getByRole('button', { name: 'Byt lösenord' }).click();
  await expect(manager.getByRole('alert')).toContainText('för lätt att gissa');
  await checkPage(manager, '42-byt-losenord-fel');
  await manager.getByLabel('Nuvarande lösenord').fill('samsyn-demo');
  await manager.getByLabel('Nytt lösenord').fill(NEW_PASSWORD);
  await manager.getByLabel('Upprepa det nya lösenordet').fill(NEW_PASSWORD);
  await manager.getByRole('button', { name: 'Byt lösenord' }).click();
  await expect(manager.getByRole('status')).toContainText('Lösenordet är bytt.');
  await elsewhere.reload();
  await expect(elsewhere.getByRole('heading', { level: 1 })).toHaveText('Logga in');

  // Disabled, she cannot sign in; enabled again, she can, with the new password.
  await admin.reload();
  await row.getByRole('button', { name: 'Inaktivera enhetschef' }).click();
  await expect(row).toContainText('Inaktiverat');
  await manager.reload();
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText('Logga in');
  await row.getByRole('button', { name: 'Aktivera enhetschef' }).click();
  await expect(row).toContainText('Aktivt');
  await manager.getByLabel('Användarnamn').fill('enhetschef');
  await manager.getByLabel('Lösenord').fill(NEW_PASSWORD);
  await manager.getByRole('button', { name: 'Logga in' }).click();
  await expect(manager.getByRole('heading', { level: 1, name: 'Logga in' })).toHaveCount(0);
});

test('administratören lägger upp ett konto med HSA-id och e-legitimation; personen loggar sedan in med SITHS eID', async ({ browser }) => {
  const admin = await login(browser, 'administrator');
  await admin.getByRole('navigation').getByRole('link', { name: 'Enheter' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Enheter');
  await expect(admin.getByRole('cell', { name: 'Hemsjukvården Örebro', exact: true })).toBeVisible();
  await checkPage(admin, '43-enheter');
  await admin.getByRole('navigation').getByRole('link', { name: 'Användare' }).click();
  const form = admin.getByRole('region', { name: 'Nytt konto' });
  await admin.getByLabel('Användarnamn', { exact: true }).fill('olle.okand');
  await admin.getByLabel('Namn', { exact: true }).fill('Olle Okänd');
  await admin.getByLabel('Roll').selectOption({ label: 'Sjuksköterska' });
  await admin.getByLabel('Enhet').selectOption({ label: 'Hemsjukvården Örebro' });
  await admin.getByLabel('E-legitimation (SITHS eID)').check();
  // Without the HSA-id the provider names her by, the account is refused.
  await admin.getByRole('button', { name: 'Skapa kontot' }).click();
  await expect(admin.getByRole('alert')).toContainText('inloggning med e-legitimation kräver personens HSA-id');
  await checkPage(admin, '42-nytt-konto-fel');
  await admin.getByLabel('HSA-id').fill('SE9999999999-P9999');
  await admin.getByRole('button', { name: 'Skapa kontot' }).click();
  const row = admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'olle.okand', exact: true }) });
  await expect(row).toContainText('E-legitimation (SSO)');
  await expect(row).toContainText('SE9999999999-P9999');
  await expect(form).toBeVisible();
  // Her name is corrected on the account's own page.
  await row.getByRole('link', { name: 'Ändra olle.okand' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Ändra konto: olle.okand');
  await checkPage(admin, '44-andra-konto');
  await admin.getByLabel('Namn').fill('Olle Okänd');
  await admin.getByRole('button', { name: 'Spara ändringen' }).click();
  await expect(row).toContainText('Olle Okänd');

  // She signs in through the organisation's identity provider and reaches her unit's inbox.
  const olle = await (await browser.newContext()).newPage();
  await olle.goto('/logga-in');
  await olle.getByRole('link', { name: 'Logga in med SITHS eID' }).click();
  await olle.getByLabel('Konto hos identitetsleverantören').selectOption('okand');
  await olle.getByLabel('Inloggningsmetod').selectOption({ label: 'SITHS eID (stark)' });
  await olle.getByRole('button', { name: 'Logga in' }).click();
  await expect(olle.getByRole('heading', { level: 1, name: 'Begäranden – Hemsjukvården Örebro' })).toBeVisible();
  await expect(olle.getByText('Olle Okänd')).toBeVisible();
});

test('administratören läser in enheter och personal från HSA: en felaktig rad stoppar filen, den rättade läses in, den som inte finns med stoppas; ett låst konto låses upp', async ({ browser }) => {
  const admin = await login(browser, 'administrator');
  await admin.getByRole('navigation').getByRole('link', { name: 'Import från HSA' }).click();
  await expect(admin.getByRole('heading', { level: 1 })).toHaveText('Import från HSA');
  await checkPage(admin, '45-import');
  // She starts from what Samsyn has: the party's own file changes nothing.
  const current = await (await admin.request.get('/admin/import/fil')).text();
  const lines = current.split('\n');
  const unitHsa = lines.find((line) => line.includes(';Hemsjukvården Örebro;'))!.split(';')[1];
  const economistLine = lines.find((line) => line.includes(';Erik Ekholm;'))!;
  const upload = async (content: string) => {
    await admin.getByLabel('Fil (CSV, UTF-8, semikolonseparerad)').setInputFiles({ name: 'personal.csv', mimeType: 'text/csv', buffer: Buffer.from(content) });
    await admin.getByRole('button', { name: 'Kontrollera filen' }).click();
  };
  await upload(current);
  await expect(admin.getByText('Filen stämmer redan med Samsyn. Inget behöver ändras.')).toBeVisible();

  // A new nurse, and a line with a role Samsyn does not have: the file is refused with the line.
  const nils = `person;SE2120001967-P0001;Nils Nyman;;;sjukskoterska;${unitHsa}\n`;
  const badLine = lines.length + 1;
  await upload(`${current}${nils}person;SE2120001967-P0002;Kim Kock;;;kock;${unitHsa}\n`);
  await expect(admin.getByRole('alert')).toContainText('Filen lästes inte in – inget har sparats');
  const problem = admin.getByRole('row').filter({ hasText: 'ska vara en av rollerna' });
  await expect(problem.getByRole('cell').first()).toHaveText(String(badLine));
  await checkPage(admin, '46-import-fel');

  // The corrected file also leaves out the economist, who is signed in: she is shown what will
  // change, and once it is made the economist is stopped at her next page.
  const economist = await login(browser, 'ekonom');
  await upload(lines.filter((line) => line !== economistLine).join('\n') + nils);
  await expect(admin.getByText('Nytt konto för Nils Nyman (sjuksköterska, SE2120001967-P0001)')).toBeVisible();
  await expect(admin.getByText(/Erik Ekholm \(.*\) finns inte i filen och inaktiveras/)).toBeVisible();
  await checkPage(admin, '47-import-granska');
  await admin.getByRole('button', { name: 'Genomför importen (2 ändringar)' }).click();
  await expect(admin.getByRole('status')).toContainText('2 ändringar är gjorda');
  await economist.reload();
  await expect(economist.getByRole('heading', { level: 1 })).toHaveText('Logga in');

  await admin.getByRole('link', { name: 'Till användarna' }).click();
  const nilsRow = admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'se2120001967-p0001', exact: true }) });
  await expect(nilsRow).toContainText('Nils Nyman');
  await expect(nilsRow).toContainText('E-legitimation (SSO)');
  const economistRow = admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'ekonom', exact: true }) });
  await expect(economistRow).toContainText('Inaktiverat');
  await economistRow.getByRole('button', { name: 'Aktivera ekonom' }).click();
  await expect(economistRow).toContainText('Aktivt');

  // Someone guesses the log reviewer's password; the administrator unlocks the account.
  await guessWrong(browser, 'logggranskare');
  await admin.reload();
  const reviewerRow = admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: 'logggranskare', exact: true }) });
  await expect(reviewerRow).toContainText('Låst');
  await reviewerRow.getByRole('button', { name: 'Lås upp logggranskare' }).click();
  await expect(reviewerRow).toContainText('Aktivt');
  await login(browser, 'logggranskare');
});
