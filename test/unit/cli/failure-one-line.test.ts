import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../../src/cli/failure.js';
import { ConfigError, InputFormatError } from '../../../src/errors.js';

describe('describeFailure with hostile text in messages', () => {
  it('keeps an error that quotes a hostile name on one line, unable to drive the terminal', () => {
    const err = new InputFormatError('layer 0: truncated layer: "a\nb\u001b[31mred\u0000" declares 5 bytes');
    const { line, exitCode } = describeFailure(err, false);
    expect(line).toBe(
      'imgscope: error: layer 0: truncated layer: "a\\nb\\u001b[31mred\\u0000" declares 5 bytes',
    );
    expect(exitCode).toBe(2);
  });

  it('lets a configuration error list its problems one per line, each line escaped', () => {
    const err = new ConfigError('invalid gate configuration (2 problems):\n  a: bad\u0007\n  b: worse');
    expect(describeFailure(err, false).line.split('\n')).toEqual([
      'imgscope: error: invalid gate configuration (2 problems):',
      '  a: bad\\u0007',
      '  b: worse',
    ]);
  });

  it('escapes an internal error message too', () => {
    expect(describeFailure(new TypeError('x\ny'), false).line).toMatch(
      /^imgscope: internal error: x\\ny \(this is a bug/,
    );
  });
});
