import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';

// The OASIS SARIF 2.1.0 JSON schema (errata01, draft-04), copied unchanged from the spec's
// repository (Schemata/sarif-schema-2.1.0.json).
const schema = JSON.parse(
  readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
// Both packages are CommonJS whose module.exports is also its own `default`.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);

/** Validates a parsed SARIF log against the SARIF 2.1.0 schema; `errors` is set when it fails. */
export const validateSarif = ajv.compile(schema);
