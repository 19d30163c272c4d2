// What both bundle scripts (bundle-commands.js, bundle-worker.js) need to build a classic script
// that src/cli/code-cache.ts runs with V8's code cache.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, URL } from 'node:url';
import { BUNDLE_SCOPE } from '../dist/cli/code-cache.js';

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

/** esbuild's helper for a default or namespace import of a CommonJS module (esbuild 0.28). */
const ESBUILD_TO_ESM = `var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
`;

/**
 * The same import's namespace made in one step: an object whose prototype is the module, so that
 * each name reads the module's current value (as esbuild's getters do), with `default` the module
 * itself where esbuild's would be. esbuild's copies a getter for every property of the module, for
 * every module that imports it: node:fs, node:process or oclif's flags several times over, about
 * 0.8 ms and half a megabyte of a start (`listsNamespaceNames` checks the one thing that differs). A module Node loads on first use (src/cli/bundle-require.ts) stays unloaded until a name is
 * read.
 */
const TO_ESM = `var __toESM = (mod, isNodeMode) => mod === null || (typeof mod !== "object" && typeof mod !== "function") ? { default: mod } : __create(mod, isNodeMode || !mod.__esModule ? { default: { value: mod, enumerable: true } } : {});
`;

/**
 * Whether the script lists the names of a namespace it makes with `__toESM` (`Object.keys(ns)`,
 * `{ ...ns }`, `for (k in ns)`...): with TO_ESM, its own names are only `default`. Reading a name
 * (`ns.name`, `const { name } = ns`) is what esbuild's code for an import does.
 */
function listsNamespaceNames(text) {
  const names = new Set([...text.matchAll(/\b(\w+) = __toESM\(/g)].map(([, name]) => name));
  const listing =
    /(?:\.\.\.|\bObject\.(?:keys|values|entries|getOwnPropertyNames|assign)\([^()]*?|\bin )\s*(\w+)\b(?!\.)/g;
  return [...text.matchAll(listing)].some(([, name]) => names.has(name));
}

/**
 * `text`, a script esbuild wrote, with TO_ESM for esbuild's `__toESM`. The build fails where a new
 * esbuild writes another helper, or the script lists a namespace's names.
 * @param {string} text
 * @param {string} path the script's, for the error
 */
export function withNamespacesByPrototype(text, path) {
  if (!text.includes('var __toESM = ')) return text;
  if (!text.includes(ESBUILD_TO_ESM)) throw new Error(`${path}: esbuild's __toESM changed: update TO_ESM`);
  if (listsNamespaceNames(text)) throw new Error(`${path}: lists a namespace's names: TO_ESM would not do`);
  return text.replace(ESBUILD_TO_ESM, TO_ESM);
}

/**
 * What a script that `loadCommonJsBundle` (src/cli/code-cache.ts) runs is: one function
 * expression of its CommonJS scope, written so by the build. Compiling the file's text as it is
 * read avoids a copy of the whole script that wrapping it at each start would make (about 0.5 ms of
 * a start on Node 24).
 */
const bundleFunction = (text) => `(function (${BUNDLE_SCOPE.join(', ')}) {${text}\n})`;

/**
 * Writes esbuild's output files (with `write: false`): the scripts in ASCII, with `__toESM`
 * replaced, each as the function `loadCommonJsBundle` runs where `asFunction` (the function's head
 * shifts only the first line, where esbuild writes its helpers); their source maps as they are.
 * @param {import('esbuild').OutputFile[]} outputFiles
 * @param {{ asFunction: boolean }} how
 */
export async function writeClassicScripts(outputFiles, { asFunction }) {
  for (const { path, text } of outputFiles) {
    if (!path.endsWith('.cjs')) await writeFile(path, text);
    else {
      const script = ascii(withNamespacesByPrototype(text, path));
      await writeFile(path, asFunction ? bundleFunction(script) : script);
    }
  }
}
