import { test, expect } from '@playwright/test';
import { checkPage, chooseTrack, fillRequest, login } from './helpers';

test('vårdcentralens läkare skickar en begäran som kommunens sjuksköterska kvitterar', async ({ browser }) => {
  console.log(`Browser: ${browser.browserType().name()} ${browser.version()}`);

  const anonymous = await (await browser.newContext()).newPage();
  await anonymous.goto('/logga-in');
  await expect(anonymous.getByText('DEMO', { exact: true })).toBeVisible();
  await checkPage(anonymous, '01-logga-in');

  // The doctor at Vårdcentralen Örebro centrum writes the request.
  const doctor = await login(browser, 'lakare');
  await doctor.getByRole('link', { name: 'Ny begäran' }).click();
  await expect(doctor.getByRole('heading', { level: 1 })).toHaveText('Ny begäran om hälso- och sjukvård i hemmet');
  // First the track: a vårdcentral sends track 1 or the rehabilitation process, nothing else.
  await expect(doctor.getByRole('radio')).toHaveCount(2);
  await checkPage(doctor, '03-ny-begaran-spar');
  await chooseTrack(doctor, 'Spår 1: regional primärvård');
  await expect(doctor.locator('#visam_colour')).toHaveCount(0);
  await checkPage(doctor, '03-ny-begaran');

  // Sending an empty form gives field-level messages first.
  await doctor.getByRole('button', { name: 'Skicka begäran' }).click();
  await expect(doctor.getByRole('alert')).toContainText('Ange ett personnummer.');
  await checkPage(doctor, '04-ny-begaran-fel');

  await doctor.locator('#personnummer').fill('19121212-1212');
  await doctor.locator('#patient_name').fill('Tolvan Tolvansson');
  await doctor.locator('#home_municipality').selectOption({ label: 'Örebro' });
  await doctor.locator('#situation').fill('Vill kunna bo kvar hemma och känna sig trygg.');
  await doctor.locator('#background').fill('Hjärtsvikt och förmaksflimmer. Bor ensam.');
  await doctor.locator('#current_assessment').fill('Stabil men skör. Behöver viktkontroll.');
  await doctor.locator('#recommendation').fill('Viktkontroll två gånger i veckan. Mål: undvika inläggning.');
  await doctor.locator('#care_contact_name').fill('Distriktssköterska Berg');
  await doctor.locator('#care_contact_phone').fill('031-390 06 10');
  // Without the person's consent, or a recorded basis, the request is not sent.
  await doctor.getByRole('button', { name: 'Skicka begäran' }).click();
  await expect(doctor.getByRole('alert')).toContainText('Ange personens samtycke');
  await expect(doctor.getByRole('alert').getByRole('listitem')).toHaveCount(1);
  await doctor.getByLabel('Personen, eller företrädaren, har samtyckt').check();
  await doctor.getByLabel('Vem lämnade samtycket').fill('Personen själv');
  await doctor.getByLabel('Hur samtycket lämnades').selectOption('muntligt');
  await doctor.getByRole('button', { name: 'Skicka begäran' }).click();
  await expect(doctor.getByRole('status')).toHaveText('Begäran är skickad till kommunen.');
  await expect(doctor.locator('#samtycke')).toContainText('Samtycke lämnat muntligt');
  await expect(doctor.locator('.state')).toHaveText('Skickad');
  const requestUrl = doctor.url().split('?')[0];
  await checkPage(doctor, '05-skickad');

  // The nurse of Örebro's home health care sees it in the unit's inbox and acknowledges it.
  const nurse = await login(browser, 'sjukskoterska');
  const row = nurse.getByRole('row').filter({ hasText: 'Tolvan Tolvansson' });
  await expect(row).toContainText('Skickad');
  await checkPage(nurse, '06-sjukskoterska-inkorg');
  await row.getByRole('link', { name: 'Tolvan Tolvansson' }).click();
  await checkPage(nurse, '07-sjukskoterska-begaran');
  await nurse.getByRole('button', { name: 'Kvittera mottagen begäran' }).click();
  await expect(nurse.getByRole('status')).toContainText('Begäran är kvitterad.');
  await checkPage(nurse, '08-kvitterad');

  // The doctor sees who acknowledged it and when.
  await doctor.goto(requestUrl);
  await expect(doctor.locator('.state')).toHaveText('Kvitterad');
  await expect(doctor.locator('#kvitterad')).toContainText('av Sara Sjöberg');
  await checkPage(doctor, '09-lakare-ser-kvittens');

  // The person calls the home health care and withdraws consent: both parties see it, and no
  // more messages pass on the case.
  await nurse.getByText('Personen återkallar sitt samtycke').click();
  await nurse.getByLabel('Hur och till vem återkallade personen samtycket?').fill('Personen ringde hemsjukvården.');
  await nurse.getByRole('button', { name: 'Registrera återkallat samtycke' }).click();
  await expect(nurse.getByRole('status')).toContainText('Återkallelsen är registrerad.');
  await doctor.reload();
  await expect(doctor.getByRole('heading', { name: 'Personen har återkallat sitt samtycke' })).toBeVisible();
  await expect(doctor.getByText('Personen ringde hemsjukvården.').first()).toBeVisible();
  await expect(doctor.getByRole('button', { name: 'Skicka meddelande' })).toHaveCount(0);
  await checkPage(doctor, '09b-samtycke-aterkallat');

  // A nurse in another municipality gets "not found", exactly as for a missing request.
  const kumla = await login(browser, 'sjukskoterska.kumla');
  const response = await kumla.goto(requestUrl);
  expect(response?.status()).toBe(404);
  await expect(kumla.getByRole('heading', { level: 1 })).toHaveText('Begäran finns inte');
  await expect(kumla.getByText('Tolvan')).toHaveCount(0);
  await checkPage(kumla, '10-annan-kommun-404');

  // The economist works without patient identities: she starts on the tilläggsbelopp, has no
  // inbox, and the case answers 403 without a trace of the patient.
  const economist = await login(browser, 'ekonom');
  await expect(economist.getByRole('heading', { level: 1 })).toContainText('Tilläggsbelopp');
  await expect(economist.getByRole('link', { name: /^Begäranden/ })).toHaveCount(0);
  const refused = await economist.goto(requestUrl);
  expect(refused?.status()).toBe(403);
  await expect(economist.getByText('Tolvan')).toHaveCount(0);
  await checkPage(economist, '10b-ekonom-403');

  // Örebro's log reviewer sees the nurse's reads of the patient's data in the access log.
  const reviewer = await login(browser, 'logggranskare');
  await reviewer.getByRole('link', { name: 'Åtkomstlogg' }).click();
  await checkPage(reviewer, '11-atkomstlogg-start');
  await reviewer.getByLabel('Användarnamn').fill('sjukskoterska');
  await reviewer.getByRole('button', { name: 'Sök' }).click();
  await expect(reviewer.getByRole('row').filter({ hasText: 'Tolvan Tolvansson' }).first()).toBeVisible();
  await checkPage(reviewer, '12-atkomstlogg-sokning');
});

test('en person utan personnummer skickas med regionens reservnummer', async ({ browser }) => {
  const doctor = await login(browser, 'lakare');
  await doctor.getByRole('link', { name: 'Ny begäran' }).click();
  await chooseTrack(doctor);
  await expect(doctor.getByText('Saknar personen båda: regionens reservnummer.')).toBeVisible();
  await fillRequest(doctor, { personnummer: '19330303TA2X', name: 'Amira Haddad' });

  // A number outside the region's format is refused on its field, with the format in words.
  await doctor.getByRole('button', { name: 'Skicka begäran' }).click();
  await expect(doctor.getByRole('alert')).toContainText('Reservnumret följer inte regionens format');
  await expect(doctor.locator('#personnummer-error')).toContainText('bokstaven T, en versal A–Z, en siffra och en versal A–J');
  await expect(doctor.locator('#personnummer')).toHaveAttribute('aria-invalid', 'true');
  await checkPage(doctor, '05c-reservnummer-fel');

  await doctor.getByLabel('Personnummer eller reservnummer').fill('19330303TA2C');
  await doctor.getByRole('button', { name: 'Skicka begäran' }).click();
  await expect(doctor.getByRole('status')).toHaveText('Begäran är skickad till kommunen.');
  await expect(doctor.getByText('Amira Haddad, reservnummer 19330303TA2C')).toBeVisible();
  await checkPage(doctor, '05d-reservnummer-skickad');

  // In the receiving unit's inbox the number is masked like any personnummer.
  const nurse = await login(browser, 'sjukskoterska');
  const row = nurse.getByRole('row').filter({ hasText: 'Amira Haddad' });
  await expect(row).toContainText('19330303-****');
  await expect(row).not.toContainText('19330303TA2C');
});
