// The esbuild plugin both bundle scripts (bundle-commands.js, bundle-worker.js) share.
import { fileURLToPath, URL } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

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
