// What both bundle scripts (bundle-commands.js, bundle-worker.js) need to build a classic script
// that src/cli/code-cache.ts runs with V8's code cache.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, URL } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * esbuild's options for such a script: one CommonJS file for Node 20 and later, written by
 * `writeClassicScripts`, whose `import.meta.url` is the `__importMetaUrl` the code cache's runner
 * (or the script's banner) gives it.
 * @type {import('esbuild').BuildOptions}
 */
export const classicScriptOptions = {
  write: false,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__importMetaUrl' },
};

/**
 * Our modules only declare (no module runs code on import for another's sake), so one whose
 * exports a bundle does not use is left out with its imports: `analyze` of a local file then
 * never loads the registry client nor node:http, which the barrels (src/registry/index.ts)
 * would otherwise pull in, and the layer worker leaves out the RPM database reader (sql.js)
 * that src/packages/index.ts would bring.
 */
/** @type {import('esbuild').Plugin} */
export const projectWithoutSideEffects = {
  name: 'project-without-side-effects',
  setup(builder) {
    builder.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.importer === '' || !args.importer.startsWith(dist) || args.pluginData === 'resolving')
        return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || !resolved.path.startsWith(dist)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * A classic script has no ES module loader of its own (vm's hook for one is experimental on
 * Node 20 and warns when a run uses it): an import() of one of Node's modules, or of a package
 * `required(name)` says stays outside the bundle, is a require() in it.
 * @param {(name: string) => boolean} required
 * @returns {import('esbuild').Plugin}
 */
export const importAsRequire = (required) => ({
  name: 'import-as-require',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'dynamic-import' && (args.path.startsWith('node:') || required(args.path))
        ? { path: args.path, namespace: 'required' }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'required' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
});

/**
 * `text` with every character past ASCII written as its \uXXXX escape: esbuild escapes those of
 * strings, not those of comments and regular expressions (where the escape means the same). An
 * ASCII file is read as one byte a character (src/cli/code-cache.ts), without UTF-8 decoding,
 * and held in half the memory of the two bytes a character V8 gives a text with a single
 * character past Latin-1.
 */
const ascii = (text) =>
  text.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Writes esbuild's output files (with `write: false`): the scripts in ASCII, their source maps as
 * they are.
 * @param {import('esbuild').OutputFile[]} outputFiles
 */
export async function writeClassicScripts(outputFiles) {
  for (const { path, text } of outputFiles) await writeFile(path, path.endsWith('.cjs') ? ascii(text) : text);
}
