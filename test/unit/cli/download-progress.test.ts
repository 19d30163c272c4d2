import { describe, expect, it } from 'vitest';
import { TerminalDownloadProgress } from '../../../src/cli/download-progress.js';

describe('TerminalDownloadProgress', () => {
  it('redraws one line with layers done and bytes, and clears it', () => {
    let written = '';
    const out = {
      columns: 200,
      write: (s: string) => ((written += s), true),
    } as unknown as NodeJS.WriteStream;
    const progress = new TerminalDownloadProgress(out);
    progress.blobsPlanned([
      { digest: 'sha256:a', size: 2_000_000 },
      { digest: 'sha256:b', size: 1_000_000 },
      { digest: 'sha256:c', size: 500_000 },
    ]);
    expect(written).toBe('');
    progress.blobStarted('sha256:a', 2_000_000, false);
    progress.blobStarted('sha256:b', 1_000_000, true);
    progress.blobBytes('sha256:a', 1_500_000);
    progress.blobFinished('sha256:b');
    progress.blobFinished('sha256:a');
    const frames = written.split('\r').filter((f) => f !== '');
    expect(frames.at(-1)).toBe('Reading layers: 2/3 done, 1 from cache, 1.5 MB downloaded of 3.5 MB\x1b[K');
    expect(written).not.toContain('\n');
    progress.clear();
    expect(written.endsWith('\r\x1b[K')).toBe(true);
  });
});
