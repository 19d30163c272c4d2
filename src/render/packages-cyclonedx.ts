import { createHash } from 'node:crypto';
import type { Analysis, PackageRecord } from '../model/index.js';

/**
 * The inventory as a CycloneDX 1.5 JSON SBOM, the shape syft and trivy users load. Each
 * package is a component with its purl; imgscope's own facts (bytes, layer, reason) are
 * `imgscope:*` properties. No timestamp, and a serial number derived from the content, so the
 * same image gives the same document.
 */
export function renderPackagesCycloneDx(
  analysis: Analysis,
  packages: readonly PackageRecord[],
  toolVersion: string,
): string {
  const refs = new Set<string>();
  const components = packages.map((record) => {
    // Two copies of one npm or Python package share a purl; the path tells them apart.
    let ref = record.purl;
    if (refs.has(ref)) ref = `${record.purl}#${record.metadataPath}`;
    refs.add(ref);
    return {
      type: 'library',
      'bom-ref': ref,
      name: record.name,
      version: record.version,
      purl: record.purl,
      ...(record.license === null ? {} : { licenses: [{ license: { name: record.license } }] }),
      properties: [
        { name: 'imgscope:ecosystem', value: record.ecosystem },
        { name: 'imgscope:sizeBytes', value: String(record.sizeBytes) },
        { name: 'imgscope:sizeSource', value: record.sizeSource },
        ...(record.layerIndex === null
          ? []
          : [{ name: 'imgscope:layerIndex', value: String(record.layerIndex) }]),
        ...(record.reason === null ? [] : [{ name: 'imgscope:reason', value: record.reason }]),
        { name: 'imgscope:metadataPath', value: record.metadataPath },
      ],
    };
  });
  const image = analysis.image;
  const subject = {
    type: 'container',
    'bom-ref': image.digest ?? image.reference,
    name: image.reference,
    ...(image.digest === null ? {} : { version: image.digest }),
  };
  const body = { components, subject };
  const bom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: uuidOf(JSON.stringify(body)),
    version: 1,
    metadata: {
      tools: { components: [{ type: 'application', name: 'imgscope', version: toolVersion }] },
      component: subject,
    },
    components,
  };
  return JSON.stringify(bom, null, 2) + '\n';
}

/** A UUID (RFC 4122 variant, version 5 layout) from the content's sha256. */
function uuidOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
