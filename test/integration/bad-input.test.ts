import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTempDirs } from '../helpers/temp.js';
import { copyFixture, cutFile, flipByte, memberData } from '../helpers/archive-surgery.js';
import { DIVE_FIXTURES, expectOneLineError, runCli } from '../helpers/run-cli.js';

const dockerImage = `${DIVE_FIXTURES}test-docker-image.tar`;
/** The busybox base layer of test-docker-image.tar. */
const BASE_LAYER = '28cfe03618aa2e914e81fdd90345245c15f4478e35252c06ca52d238fd3cc694/layer.tar';

async function expectBadInput(args: string[], message: RegExp): Promise<void> {
  const result = await runCli(['analyze', ...args]);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(expectOneLineError(result)).toMatch(message);
}

afterAll(cleanupTempDirs);

describe('bad input: one clear line on stderr, exit 2', () => {
  it('refuses a tar that is not an image', async () => {
    await expectBadInput(
      [`${DIVE_FIXTURES}not-an-image.tar`],
      /not-an-image\.tar: not a container image archive/,
    );
  });

  it('refuses a missing file', async () => {
    await expectBadInput(['./no/such/image.tar'], /no\/such\/image\.tar: no such file or directory/);
  });

  it('refuses a truncated archive', async () => {
    const file = await copyFixture(dockerImage, 'truncated.tar');
    const { offset } = memberData(file, BASE_LAYER);
    cutFile(file, offset + 1000);
    await expectBadInput([file], /truncated archive/);
  });

  it('refuses a layer whose bytes do not match its diff_id', async () => {
    const file = await copyFixture(dockerImage, 'tampered.tar');
    const { offset, size } = memberData(file, BASE_LAYER);
    // Deep inside the layer, in file content rather than a tar header.
    flipByte(file, offset + Math.floor(size / 2) + 100);
    await expectBadInput(
      [file],
      /layer 0 content \(diff_id\): digest mismatch: expected sha256:[0-9a-f]{64}, got sha256:/,
    );
  });

  it('refuses a corrupt gzip layer', async () => {
    const file = await copyFixture(`${DIVE_FIXTURES}test-kaniko-image.tar`, 'corrupt-gzip.tar');
    const { offset, size } = memberData(
      file,
      '5c4213be9af904dd74649d250f22023f532b2f9179ffcb15260b5eaa10d7a3b4.tar.gz',
    );
    // The last bytes of a gzip member are its CRC32: a flip there is a checksum error.
    flipByte(file, offset + size - 6);
    await expectBadInput([file], /layer 0: corrupt gzip data \(incorrect data check\)/);
  });

  it('refuses a corrupt zstd layer', async () => {
    const file = await copyFixture(`${DIVE_FIXTURES}test-oci-zstd-image.tar`, 'corrupt-zstd.tar');
    const { offset } = memberData(
      file,
      'blobs/sha256/0308a5d81b28debb7e24a609dcdfca5fdb64c908bda38b0e4774a7d017a67297',
    );
    flipByte(file, offset + 40);
    await expectBadInput([file], /layer 0(?: blob: digest mismatch|: corrupt zstd data)/);
  });

  // zstd below Node 24 is libzstd as WebAssembly, which --jitless turns off; Node 24's zlib has it.
  it('says a zstd layer needs WebAssembly where Node runs without it, not that the data is corrupt', async () => {
    const image = `${DIVE_FIXTURES}test-oci-zstd-image.tar`;
    const result = await runCli(['analyze', image, '--json', '--no-cache'], { NODE_OPTIONS: '--jitless' });
    if (Number(process.versions.node.split('.')[0]) >= 24) {
      expect(result.code).toBe(0);
      return;
    }
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    // V8's own notice of the flag it turns off comes first; imgscope's error is the one line after it.
    const own = { ...result, stderr: result.stderr.replace(/^Warning: disabling flag .*\n/gm, '') };
    expect(expectOneLineError(own)).toBe(
      'imgscope: error: layer 0: zstd data needs WebAssembly, which this Node runs without (--jitless) ' +
        '(run imgscope without --jitless, in NODE_OPTIONS too, or on Node >= 24, whose zlib decodes zstd)',
    );
  });

  it('refuses a gzip-compressed docker save, saying how to fix it', async () => {
    const file = await copyFixture(dockerImage, 'image.tar');
    execFileSync('gzip', [file]);
    await expectBadInput(
      [`${file}.gz`],
      /image\.tar\.gz: the archive is gzip-compressed \(decompress it first: gunzip -k /,
    );
  });

  it('refuses a malformed platform', async () => {
    await expectBadInput(
      [dockerImage, '--platform', 'linux'],
      /invalid platform "linux": expected os\/arch\[\/variant\]/,
    );
  });

  it('refuses an unknown flag', async () => {
    await expectBadInput([dockerImage, '--bogus'], /unknown flag --bogus/);
  });

  it("names the image's platform when a single-platform image is not for the wanted one", async () => {
    await expectBadInput(
      [`${DIVE_FIXTURES}test-oci-gzip-image.tar`, '--platform', 'linux/s390x'],
      /test-oci-gzip-image\.tar is a single-platform image for linux\/arm64, not linux\/s390x \(drop --platform/,
    );
  });
});
