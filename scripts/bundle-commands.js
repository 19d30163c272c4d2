// Bundles the start-up path: bin/run.js's dist/cli/launch.cjs, and in place dist/cli/main.js, each
// built command (dist/commands/**/*.js) and the command_not_found hook, with the
// project modules and the npm packages they import, @oclif/core among them. Code they share goes to
// dist/chunks/ (esbuild's code splitting), so oclif, loaded by main.js, and the command it runs
// share one instance of @oclif/core, as they did unbundled. Loading a few files instead of ~300
// small modules (oclif alone is ~70, semver ~50) is most of what a start costs on Node 20.
// Besides, dist/own-commands/ID.cjs: oclif and one command in one classic script, which
// launch.cjs runs with V8's code cache for a run of one of our own commands (src/cli/launch.ts).
// tsc's other output stays for the library entry and the tests.
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { build } from 'esbuild';
import {
  classicScriptOptions,
  importAsRequire,
  projectWithoutSideEffects,
  withNamespacesByPrototype,
  writeClassicScripts,
} from './classic-script-bundling.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * Packages left in node_modules: sql.js finds its .wasm beside itself; the autocomplete plugin
 * is oclif's to load; typescript, ts-node and source-map-support are what oclif would use for a
 * development run from sources, never here. `debug` is bundled: oclif, the proxy agents and our
 * modules all import it, so the chunks hold the one copy src/cli/debug-output.ts redacts.
 */
const EXTERNAL = new Set([
  'sql.js',
  '@oclif/plugin-autocomplete',
  'typescript',
  'ts-node',
  'source-map-support',
]);

const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** @type {import('esbuild').Plugin} */
const keepExternal = {
  name: 'keep-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      EXTERNAL.has(packageName(args.path)) ? { path: args.path, external: true } : undefined,
    );
  },
};

async function jsFiles(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await jsFiles(path)));
    else if (entry.name.endsWith('.js')) found.push(path);
  }
  return found;
}

const commandFiles = await jsFiles(join(dist, 'commands'));

/** oclif's id of a built command: commands/cache/list.js is "cache:list", audit/index.js "audit". */
const commandId = (file) =>
  relative(join(dist, 'commands'), file)
    .replace(/\.js$/, '')
    .replace(/(^|\/)index$/, '')
    .replaceAll('/', ':');

/**
 * What a changed package asks instead of process.stderr.isTTY, process.stdout.isTTY, and whether
 * stdout is a file: src/cli/standard-streams.ts's answers, which make no stream where it is a
 * pipe, a file or /dev/null (the module is bundled, by its path).
 */
const STANDARD_STREAMS = `require(${JSON.stringify(join(dist, 'cli', 'standard-streams.js'))})`;
const STDERR_IS_TERMINAL = `${STANDARD_STREAMS}.stderrIsTerminal()`;
const STDOUT_IS_TERMINAL = `${STANDARD_STREAMS}.stdoutIsTerminal()`;

/** `const name = expression;` evaluated on the first use of one of its properties. */
const deferred = (name, expression) =>
  `const ${name} = new Proxy({}, { get: (_, key) => (${expression})[key] });`;

/**
 * Changes to npm packages for the own-commands bundle, whose runs only ever run one of our
 * commands (help and other plugins run from main.js, unchanged). Each saves work a start does for
 * nothing, or does it the short way with the same result:
 * - plugin.js sorts a plugin's commands with localeCompare, whose first call builds ICU's collator
 *   (about 70 M instructions, 10 ms): code units order them here, an order a run never shows;
 * - minimatch (matching user plugins' names), tinyglobby (finding commands without a manifest),
 *   ejs (help templates, S3 URLs), node:perf_hooks (OCLIF_PERFORMANCE markers), node:readline
 *   (a flag read from stdin), the help classes (an error's help, the --help flag), the module
 *   loader (hooks and commands found by path: the bundle gives its command) and the spinner
 *   (cli-spinners' table; a TTY's progress), the colours of a theme (ansis: a warning's or help's
 *   colours, which build their tables as ansis loads), and what only an error's message or a flag's JSON
 *   output uses (clean-stack, indent-string, wrap-ansi, the JSON colouring, the argument list of a
 *   usage error), or only a plugin without a manifest, root or package.json (finding its root,
 *   reading its package.json with lilconfig and its tsconfig, caching its commands, ranking
 *   commands of several plugins) are required when oclif loads, mostly for work these runs never
 *   do: they load on first use (about 50 M instructions, and 3 M more for the latter);
 * - the root plugin reads and parses oclif.manifest.json, which launch.ts has parsed to find the
 *   command: it takes the parsed manifest, given as its option `manifest` (run-own-command.ts);
 * - oclif reads its small JSON files (the user's theme.json, which Config.load looks for on every
 *   run) through fs/promises: each read is four round trips through libuv's thread pool, which
 *   nothing else in a small image's run starts; read synchronously, with the same result;
 * - debug asks node:tty whether stderr is a terminal, for every logger made (oclif makes dozens
 *   when it loads), and supports-color (which debug loads) whether stdout and stderr are: loading
 *   node:tty loads node:net too (about 0.6 ms on Node 24), for nothing where they are files or
 *   /dev/null; src/cli/standard-streams.ts answers for both, as it does for oclif's choice of
 *   progress display when it loads: process.stderr, made for the question, loads node:net and
 *   opens a socket where stderr is a pipe (about 1.5 ms of a small image's start on Node 20), for
 *   a run that writes nothing there, and either stream loads node:stream (about 3 ms), which a
 *   report written to a file or /dev/null does without. For the same reason oclif's screen.js
 *   measures the streams' widths when a message first asks for them, its progress action keeps
 *   their writes from when it first writes, and its Command ignores EPIPE on stdout (a reader
 *   that went away) only where stdout is no file (a file has no reader to lose);
 * - lilconfig (oclif reads package.json files with it) takes fs.promises.readFile when it loads,
 *   which loads node:fs/promises (about 1 ms on Node 24; our modules' imports of it are lazy,
 *   src/cli/bundle-require.ts): it looks it up when it reads;
 * - Command.run loads a configuration again from the one it is given (made by another copy of
 *   oclif, perhaps): given one of this copy's, the only one in the bundle, it takes it as it is
 *   (the same plugins, paths and theme; about 2 ms);
 * - getPlatform asks wsl-utils whether this is WSL, which loads node:child_process and
 *   node:fs/promises for its Windows helpers: the answer is is-wsl's, which wsl-utils re-exports;
 * The build fails when a release changes a line, so that a change is never silently lost.
 */
const PACKAGE_CHANGES = {
  '@oclif/core/lib/config/plugin.js': [
    [
      'const cache_command_1 = require("../util/cache-command");',
      deferred('cache_command_1', 'require("../util/cache-command")'),
    ],
    [
      'const find_root_1 = require("../util/find-root");',
      deferred('find_root_1', 'require("../util/find-root")'),
    ],
    [
      'const read_pjson_1 = require("../util/read-pjson");',
      deferred('read_pjson_1', 'require("../util/read-pjson")'),
    ],
    [
      '.sort((a, b) => a.id.localeCompare(b.id))',
      '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
    ],
    ['const tinyglobby_1 = require("tinyglobby");', deferred('tinyglobby_1', 'require("tinyglobby")')],
    [
      'const manifest = await (0, fs_1.readJson)(p);',
      'const manifest = this.options.manifest ?? (await (0, fs_1.readJson)(p));',
    ],
    [
      'const module_loader_1 = require("../module-loader");',
      deferred('module_loader_1', 'require("../module-loader")'),
    ],
  ],
  '@oclif/core/lib/util/fs.js': [
    [
      "const contents = await (0, promises_1.readFile)(path, 'utf8');",
      "const contents = (0, node_fs_1.readFileSync)(path, 'utf8');",
    ],
  ],
  '@oclif/core/lib/errors/handle.js': [
    ['const index_1 = require("../help/index");', deferred('index_1', 'require("../help/index")')],
    [
      'const clean_stack_1 = __importDefault(require("clean-stack"));',
      deferred('clean_stack_1', '__importDefault(require("clean-stack"))'),
    ],
  ],
  '@oclif/core/lib/errors/errors/cli.js': [
    [
      'const clean_stack_1 = __importDefault(require("clean-stack"));',
      deferred('clean_stack_1', '__importDefault(require("clean-stack"))'),
    ],
    [
      'const indent_string_1 = __importDefault(require("indent-string"));',
      deferred('indent_string_1', '__importDefault(require("indent-string"))'),
    ],
    [
      'const wrap_ansi_1 = __importDefault(require("wrap-ansi"));',
      deferred('wrap_ansi_1', '__importDefault(require("wrap-ansi"))'),
    ],
  ],
  '@oclif/core/lib/errors/errors/pretty-print.js': [
    [
      'const indent_string_1 = __importDefault(require("indent-string"));',
      deferred('indent_string_1', '__importDefault(require("indent-string"))'),
    ],
    [
      'const wrap_ansi_1 = __importDefault(require("wrap-ansi"));',
      deferred('wrap_ansi_1', '__importDefault(require("wrap-ansi"))'),
    ],
  ],
  '@oclif/core/lib/util/read-pjson.js': [
    ['const lilconfig_1 = require("lilconfig");', deferred('lilconfig_1', 'require("lilconfig")')],
  ],
  '@oclif/core/lib/flags.js': [
    ['const help_1 = require("./help");', deferred('help_1', 'require("./help")')],
  ],
  '@oclif/core/lib/ux/index.js': [
    [
      'const ACTION_TYPE = (Boolean(process.stderr.isTTY) &&',
      `const ACTION_TYPE = (${STDERR_IS_TERMINAL} &&`,
    ],
    [
      'const spinner_1 = __importDefault(require("./action/spinner"));',
      deferred('spinner_1', '__importDefault(require("./action/spinner"))'),
    ],
    [
      'const colorize_json_1 = __importDefault(require("./colorize-json"));',
      deferred('colorize_json_1', '__importDefault(require("./colorize-json"))'),
    ],
    [
      'var colorize_json_2 = require("./colorize-json");',
      deferred('colorize_json_2', 'require("./colorize-json")'),
    ],
  ],
  '@oclif/core/lib/config/plugin-loader.js': [
    ['const minimatch_1 = require("minimatch");', deferred('minimatch_1', 'require("minimatch")')],
  ],
  '@oclif/core/lib/config/ts-path.js': [
    [
      'const read_tsconfig_1 = require("../util/read-tsconfig");',
      deferred('read_tsconfig_1', 'require("../util/read-tsconfig")'),
    ],
  ],
  '@oclif/core/lib/parser/errors.js': [
    [
      'const list_1 = __importDefault(require("../ux/list"));',
      deferred('list_1', '__importDefault(require("../ux/list"))'),
    ],
  ],
  '@oclif/core/lib/config/config.js': [
    [
      'const determine_priority_1 = require("../util/determine-priority");',
      deferred('determine_priority_1', 'require("../util/determine-priority")'),
    ],
    ['const ejs_1 = __importDefault(require("ejs"));', deferred('ejs_1', '__importDefault(require("ejs"))')],
    [
      'const module_loader_1 = require("../module-loader");',
      deferred('module_loader_1', 'require("../module-loader")'),
    ],
    [
      '        if (isConfig(opts)) {\n            debug(`reloading config',
      '        if (opts instanceof Config)\n            return opts;\n        if (isConfig(opts)) {\n            debug(`reloading config',
    ],
  ],
  '@oclif/core/lib/util/os.js': [
    ["return (await import('wsl-utils')).isWsl ?", "return (await import('is-wsl')).default ?"],
  ],
  '@oclif/core/lib/performance.js': [
    [
      'const node_perf_hooks_1 = require("node:perf_hooks");',
      deferred('node_perf_hooks_1', 'require("node:perf_hooks")'),
    ],
  ],
  '@oclif/core/lib/parser/parse.js': [
    [
      'const node_readline_1 = require("node:readline");',
      deferred('node_readline_1', 'require("node:readline")'),
    ],
  ],
  '@oclif/core/lib/help/util.js': [
    ['const ejs_1 = __importDefault(require("ejs"));', deferred('ejs_1', '__importDefault(require("ejs"))')],
  ],
  'debug/src/node.js': [
    ["const tty = require('tty');", deferred('tty', "require('tty')")],
    ['\t\ttty.isatty(process.stderr.fd);', `\t\t${STDERR_IS_TERMINAL};`],
  ],
  'supports-color/index.js': [
    ["const tty = require('tty');", deferred('tty', "require('tty')")],
    [
      '\tstdout: getSupportLevel({isTTY: tty.isatty(1)}),',
      `\tstdout: getSupportLevel({isTTY: ${STDOUT_IS_TERMINAL}}),`,
    ],
    [
      '\tstderr: getSupportLevel({isTTY: tty.isatty(2)})',
      `\tstderr: getSupportLevel({isTTY: ${STDERR_IS_TERMINAL}})`,
    ],
  ],
  '@oclif/core/lib/ux/theme.js': [
    [
      'const ansis_1 = __importDefault(require("ansis"));',
      deferred('ansis_1', '__importDefault(require("ansis"))'),
    ],
  ],
  '@oclif/core/lib/screen.js': [
    [
      'exports.errtermwidth = columns || termwidth(process.stderr);',
      "Object.defineProperty(exports, 'errtermwidth', { get: () => columns || termwidth(process.stderr) });",
    ],
    [
      'exports.stdtermwidth = columns || termwidth(process.stdout);',
      "Object.defineProperty(exports, 'stdtermwidth', { get: () => columns || termwidth(process.stdout) });",
    ],
  ],
  '@oclif/core/lib/command.js': [
    [
      "process.stdout.on('error', (err) => {",
      `if (!${STANDARD_STREAMS}.stdoutWritesToFile()) process.stdout.on('error', (err) => {`,
    ],
  ],
  '@oclif/core/lib/ux/action/base.js': [
    [
      '    stdmockOrigs = {\n        stderr: process.stderr.write,\n        stdout: process.stdout.write,\n    };',
      '    stdmockOrigs = {\n        get stderr() { return process.stderr.write; },\n        get stdout() { return process.stdout.write; },\n    };',
    ],
  ],
  'lilconfig/src/index.js': [
    [
      'const fsReadFileAsync = fs.promises.readFile;',
      'const fsReadFileAsync = (...args) => fs.promises.readFile(...args);',
    ],
  ],
};

/**
 * Packages our modules import for work a run seldom does, or that only one of a command's formats
 * does: picomatch (the gate's ignored paths, with --ci only: five modules that a run would
 * evaluate for nothing), fastest-levenshtein (a suggestion for a mistyped command), cli-table3
 * (the rules table) and string-width (a table line of other than ASCII). In the own-commands
 * bundles, what such an import gives is the package loaded on its first use (a call, a `new`,
 * or a property read), as `deferred` does for oclif's.
 */
const DEFERRED_IMPORTS = new Set(['picomatch', 'fastest-levenshtein', 'cli-table3', 'string-width']);

/** @type {import('esbuild').Plugin} */
const deferredImports = {
  name: 'deferred-imports',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      DEFERRED_IMPORTS.has(args.path) && args.importer.startsWith(dist)
        ? { path: args.path, namespace: 'deferred-import' }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'deferred-import' }, (args) => ({
      // esbuild's import of it asks for __esModule, which the package's own module does not set.
      contents: [
        'let loaded;',
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        'module.exports = new Proxy(function () {}, {',
        '  apply: (_, self, args) => Reflect.apply(load(), self, args),',
        '  construct: (_, args) => Reflect.construct(load(), args),',
        "  get: (_, key) => (key === '__esModule' ? undefined : Reflect.get(load(), key)),",
        '});',
      ].join('\n'),
      resolveDir: dist,
      loader: 'js',
    }));
  },
};

/**
 * Packages that only a deferred require reaches (PACKAGE_CHANGES' `deferred`, DEFERRED_IMPORTS):
 * oclif's plugin matching (minimatch), command search without a manifest (tinyglobby), templates
 * (ejs) and TTY spinner (cli-spinners), the gate's ignored paths (picomatch). Each is its own
 * script, dist/own-commands/lazy/NAME.cjs, which a run loads from the bundle where it uses the
 * package: a start reads and checks about 200 KB of script less (about 0.5 ms on Node 24).
 */
const LAZY_PACKAGES = new Set(['minimatch', 'tinyglobby', 'ejs', 'cli-spinners', 'picomatch']);

/** Where each of LAZY_PACKAGES resolved from the code that imports it: the one its script holds. */
const lazyPackageFiles = new Map();

/** @type {import('esbuild').Plugin} */
const lazyPackages = {
  name: 'lazy-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (!LAZY_PACKAGES.has(args.path) || args.pluginData === 'resolving') return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0) return undefined;
      const known = lazyPackageFiles.get(args.path);
      if (known !== undefined && known !== resolved.path)
        throw new Error(
          `${args.path} resolves to both ${known} and ${resolved.path}: one lazy script cannot hold both`,
        );
      lazyPackageFiles.set(args.path, resolved.path);
      return { path: `./lazy/${args.path}.cjs`, external: true };
    });
  },
};

/** @type {import('esbuild').Plugin} */
const packagesForOwnCommands = {
  name: 'packages-for-own-commands',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]node_modules[\\/].*\.js$/ }, async (args) => {
      const file = args.path.replaceAll('\\', '/').replace(/.*\/node_modules\//, '');
      const changes = PACKAGE_CHANGES[file];
      if (changes === undefined) return undefined;
      let text = await readFile(args.path, 'utf8');
      for (const [from, to] of changes) {
        if (!text.includes(from)) throw new Error(`${file} no longer has ${from}: update PACKAGE_CHANGES`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

// dist/own-commands/ID.cjs, one per command (cache:list is cache-list.cjs): oclif and that
// command in one classic script (CommonJS shape, run by launch.cjs in a function scope that gives it
// require, module and __importMetaUrl), since V8's code cache is Node 20's only for scripts. One
// bundle per command, importing it statically: esbuild then hoists our modules into one scope and
// keeps only the statements the command uses (a barrel's other exports and their modules are left
// out), instead of wrapping each module in a function that, for a barrel, initialises everything
// it re-exports. A start reads, deserializes and evaluates only that (analyze's 1.42 MB and about
// 0.8 MB of code cache, against 1.69 MB and 1 MB for all commands). Packages reached only by
// import() (the proxy agents) still load on first use. import.meta.url is the
// bundle's, one directory under dist/ like the modules it replaces.
/** The own-commands bundle's name of a command id ("cache:list" -> "cache-list"), as launch.ts names it. */
const bundleName = (id) => id.replaceAll(':', '-');
await rm(join(dist, 'own-commands'), { recursive: true, force: true });
await Promise.all(
  commandFiles.map(async (file) => {
    const ownCommand = await build({
      stdin: {
        contents: [
          `import command from ${JSON.stringify(file)};`,
          "import { runOwnCommand } from './run-own-command.js';",
          'export const run = (root, id, argv, manifest) => runOwnCommand(root, id, argv, manifest, async () => command);',
        ].join('\n'),
        resolveDir: join(dist, 'cli'),
        sourcefile: `${bundleName(commandId(file))}-entry.js`,
      },
      outfile: join(dist, `own-commands/${bundleName(commandId(file))}.cjs`),
      ...classicScriptOptions,
      plugins: [
        importAsRequire((path) => EXTERNAL.has(packageName(path))),
        keepExternal,
        deferredImports,
        lazyPackages,
        projectWithoutSideEffects,
        packagesForOwnCommands,
      ],
      sourcemap: true,
      logLevel: 'warning',
    });
    await mkdir(join(dist, 'own-commands'), { recursive: true });
    await writeClassicScripts(ownCommand.outputFiles, { asFunction: true });
  }),
);
// The lazy packages' scripts, each the package as it resolved for the bundles (plain CommonJS,
// which Node loads without the code cache: these paths are seldom taken).
await Promise.all(
  [...lazyPackageFiles].map(async ([name, path]) => {
    const lazy = await build({
      entryPoints: [path],
      outfile: join(dist, `own-commands/lazy/${name}.cjs`),
      ...classicScriptOptions,
      plugins: [keepExternal],
      logLevel: 'warning',
    });
    await mkdir(join(dist, 'own-commands/lazy'), { recursive: true });
    await writeClassicScripts(lazy.outputFiles, { asFunction: false });
  }),
);

// bin/run.js's entry, dist/cli/launch.cjs: node's modules only, so that deciding which start to
// take loads nothing else; main.js is the full start it imports when it does not run the bundle.
// CommonJS, which bin/run.js requires: an ES module's import of node:fs runs every getter of
// fs (fs.promises, its streams, watchers and Dir: some thirty modules and 3 ms on Node 24,
// most of which a run never uses), where require() leaves them for first use.
const launcher = await build({
  entryPoints: [join(dist, 'cli/launch.js')],
  outfile: join(dist, 'cli/launch.cjs'),
  write: false,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [
    {
      name: 'main-outside',
      setup(builder) {
        builder.onResolve({ filter: /^\.\/main\.js$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
    keepExternal,
  ],
  sourcemap: true,
  logLevel: 'warning',
});
for (const { path, text } of launcher.outputFiles)
  await writeFile(path, path.endsWith('.cjs') ? withNamespacesByPrototype(text, path) : text);

const entryPoints = [
  join(dist, 'cli/main.js'),
  join(dist, 'cli/hooks/command-not-found.js'),
  ...commandFiles,
];
// Chunks of an earlier build would otherwise pile up (their names carry a content hash).
await rm(join(dist, 'chunks'), { recursive: true, force: true });
await build({
  entryPoints,
  outdir: dist,
  outbase: dist,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [keepExternal, projectWithoutSideEffects],
  // The CommonJS packages bundled here (oclif and its dependencies) call require() for Node's
  // modules and the packages left external: an ES module has no require of its own.
  banner: {
    js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.url);",
  },
  // Maps back to the TypeScript sources through tsc's maps, as the unbundled files did.
  sourcemap: true,
  logLevel: 'warning',
});

// The WebAssembly modules, which tsc does not copy: src/layers/wasm-zstd.ts and wasm-poly1305.ts
// find them under dist/layers/ from whichever bundle they were built into.
for (const wasm of ['zstd-wasm', 'poly1305-wasm']) {
  const from = fileURLToPath(new URL(`../src/layers/${wasm}/`, import.meta.url));
  await cp(from, join(dist, 'layers', wasm), { recursive: true, filter: (path) => !path.endsWith('.c') });
}
