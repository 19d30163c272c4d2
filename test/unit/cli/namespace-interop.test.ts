import { build } from 'esbuild';
import { runInThisContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

/** The build's rewrite of esbuild's interop (a script of the build, without types). */
const BUILD_SCRIPT: string = '../../../scripts/classic-script-bundling.js';
const { withNamespacesByPrototype } = (await import(BUILD_SCRIPT)) as {
  withNamespacesByPrototype: (text: string, path: string) => string;
};

/** A CommonJS module with a value that changes, a function and an ES module flag of its choosing. */
const CJS = (esModule: boolean): string =>
  [
    esModule ? 'exports.__esModule = true;' : '',
    'exports.count = 0;',
    'exports.bump = () => ++exports.count;',
    'exports.default = "its default";',
  ].join('\n');

/** `entry` bundled as the own-commands bundles are (CommonJS, esbuild's interop), then rewritten. */
async function bundled(entry: string, esModule: boolean): Promise<string> {
  const result = await build({
    stdin: { contents: entry, resolveDir: '/', sourcefile: 'entry.js' },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    logLevel: 'silent',
    plugins: [
      {
        name: 'cjs',
        setup(builder) {
          builder.onResolve({ filter: /^cjs$/ }, () => ({ path: 'cjs', namespace: 'cjs' }));
          builder.onLoad({ filter: /.*/, namespace: 'cjs' }, () => ({
            contents: CJS(esModule),
            loader: 'js',
          }));
        },
      },
    ],
  });
  return withNamespacesByPrototype(result.outputFiles[0]!.text, 'entry.cjs');
}

/** What the bundle `text` exports. */
function run(text: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  (runInThisContext(`(function (module, exports, require) {${text}\n})`) as (...args: unknown[]) => void)(
    module,
    module.exports,
    require,
  );
  return module.exports;
}

describe("the own-commands bundles' namespaces of CommonJS modules", () => {
  it('read each name as the module has it now, as esbuild made them', async () => {
    const text = await bundled(
      "import * as ns from 'cjs';\nexport const read = () => [ns.count, ns.bump(), ns.count];",
      false,
    );
    expect(text).not.toContain('__copyProps(\n');
    const { read } = run(text) as { read: () => number[] };
    expect(read()).toEqual([0, 1, 1]);
    expect(read()).toEqual([1, 2, 2]);
  });

  it("give the module as the default import unless it is an ES module's", async () => {
    const entry = "import value from 'cjs';\nexport const read = () => value;";
    const plain = run(await bundled(entry, false)) as { read: () => { count: number } };
    expect(plain.read().count).toBe(0);
    const transpiled = run(await bundled(entry, true)) as { read: () => string };
    expect(transpiled.read()).toBe('its default');
  });

  it("fail the build for a bundle that lists a namespace's names", async () => {
    await expect(
      bundled("import * as ns from 'cjs';\nexport const names = () => Object.keys(ns);", false),
    ).rejects.toThrow("entry.cjs: lists a namespace's names");
  });
});
