import type Ajv from 'ajv';

/** The string formats the FHIR schema names; FHIR's own regex patterns do the real checking. */
export default function addFormats(ajv: Ajv) {
  for (const format of ['uri', 'date-time', 'date', 'time', 'uri-reference', 'email']) {
    ajv.addFormat(format, true);
  }
}
