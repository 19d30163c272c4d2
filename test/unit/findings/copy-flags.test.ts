import { describe, expect, it } from 'vitest';
import { copyWithFlags } from '../../../src/findings/copy-flags.js';
import { parseCreatedBy } from '../../../src/model/index.js';

const copy = (createdBy: string) => parseCreatedBy(createdBy);

describe('copyWithFlags', () => {
  it("writes a classic builder's hashed source as <your source>, which can be pasted", () => {
    const classic = copy(
      '/bin/sh -c #(nop) COPY dir:5f1d0c9e8b7a6f5e4d3c2b1a09f8e7d6c5b4a39 in /var/www/html/ ',
    );
    expect(copyWithFlags(classic, new Map([['chown', '33:33']]))).toBe(
      'COPY --chown=33:33 <your source> /var/www/html/',
    );
    const several = copy('/bin/sh -c #(nop) COPY multi:0e4c5a3e2cbbc3bd4c8f0c1cc73e8d5b in /app/ ');
    expect(copyWithFlags(several, new Map([['chmod', '755']]))).toBe('COPY --chmod=755 <your sources> /app/');
  });

  it("keeps BuildKit's real source and other options, replaces the flag's old value, orders flags by name", () => {
    const buildkit = copy('COPY --from=build --chown=0:0 --link site/ /var/www/html/ # buildkit');
    expect(
      copyWithFlags(
        buildkit,
        new Map([
          ['chmod', '644'],
          ['chown', '33:33'],
        ]),
      ),
    ).toBe('COPY --chmod=644 --chown=33:33 --from=build --link site/ /var/www/html/');
  });
});
