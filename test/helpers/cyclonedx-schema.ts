import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import ajvFormats from 'ajv-formats';

// CycloneDX's own JSON schemas (Apache-2.0) as @cyclonedx/cyclonedx-library ships them. The BOM
// schema names its SPDX and JSF parts by file name; they are registered under those names.
const require = createRequire(import.meta.url);
const dir = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const load = (name: string, id?: string): Record<string, unknown> => {
  const schema = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
  return id === undefined ? schema : { ...schema, $id: id };
};
// Both packages are CommonJS whose module.exports is also its own `default`.
const ajv = new Ajv.default({ allErrors: true, strict: false });
ajvFormats.default(ajv);
ajv.addSchema(load('spdx.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json'));
ajv.addSchema(
  load('jsf-0.82.SNAPSHOT.schema.json', 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json'),
);

/** Validates a parsed BOM against CycloneDX 1.5's JSON schema; `errors` is set when it fails. */
export const validateCycloneDx15 = ajv.compile(load('bom-1.5.SNAPSHOT.schema.json'));
