import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The permission bits of `root` and everything under it, in octal by relative path: { ".": "700", "blobs": "700" }. */
export async function fileModes(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (path: string, name: string): Promise<void> => {
    const info = await lstat(path);
    out[name] = (info.mode & 0o777).toString(8);
    if (info.isDirectory()) {
      for (const entry of await readdir(path)) {
        await walk(join(path, entry), name === '.' ? entry : `${name}/${entry}`);
      }
    }
  };
  await walk(root, '.');
  return out;
}
