import { describe, expect, it } from 'vitest';
import { isAccountFile, parseAccountIds } from '../../../src/layers/account-files.js';

describe('account files', () => {
  it('are /etc/passwd and /etc/group only', () => {
    expect(['/etc/passwd', '/etc/group', '/etc/shadow', '/app/etc/passwd'].map(isAccountFile)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('give each name its numeric id, skipping comments and malformed lines', () => {
    expect(
      parseAccountIds(
        'root:x:0:0:root:/root:/bin/sh\n# comment:x:1:\nbroken\nnobody:x:65534:65534::/:/x\n:x:5:\n',
      ),
    ).toEqual([
      ['root', 0],
      ['nobody', 65534],
    ]);
  });
});
