import { describe, expect, it } from 'vitest';
import { parseDpkgStatus } from '../../../src/packages/dpkg.js';

describe("dpkg's status", () => {
  it('reads relations as groups of alternatives, names only', () => {
    const [found] = parseDpkgStatus(
      [
        'Package: p',
        'Version: 1',
        'Pre-Depends: init-system-helpers (>= 1.54~)',
        'Depends: libc6 (>= 2.34), libssl3 | libssl1.1:any,  , zlib1g [amd64]',
        'Recommends: ca-certificates',
        'Suggests: a|b <!nocheck>',
        'Provides: httpd, httpd-cgi (= 1)',
        '',
      ].join('\n'),
    );
    expect(found).toMatchObject({
      depends: [['init-system-helpers'], ['libc6'], ['libssl3', 'libssl1.1'], ['zlib1g']],
      recommends: [['ca-certificates'], ['a', 'b']],
      provides: ['httpd', 'httpd-cgi'],
    });
  });
});
