import { describe, expect, it } from 'vitest';
import type { PackageRecord } from '../../../src/model/index.js';
import { renderPackagesCsv } from '../../../src/render/packages-csv.js';

const record = (name: string, version: string): PackageRecord => ({
  ecosystem: 'deb',
  name,
  version,
  architecture: 'amd64',
  license: null,
  sizeBytes: 10,
  sizeSource: 'files',
  fileCount: 1,
  layerIndex: 0,
  changedInLayers: [],
  reason: null,
  metadataPath: '/var/lib/dpkg/status',
  purl: `pkg:deb/debian/${name}`,
});

describe('the packages CSV', () => {
  it('shows formulas and control characters from the image as text', () => {
    const rows = renderPackagesCsv([record('evil\u001b]0;x\u0007', '=1+1'), record('a,b', '1 "q"')]).split(
      '\r\n',
    );
    expect(rows[1]).toContain(",evil\\u001b]0;x\\u0007,'=1+1,");
    expect(rows[2]).toContain(',"a,b","1 ""q""",');
    // eslint-disable-next-line no-control-regex
    expect(rows.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
