// Lint rules, including the layer rules of docs/architecture.md: imports only run downward.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

/** Relative or src-main/ paths into the named layers (bare package names like 'electron' are matched separately). */
const LAYER_PREFIX = '^(\\.{1,2}/(.*/)?|(.*/)?src-main/)';
const upper = (...names) => names.map((n) => `${LAYER_PREFIX}${n}(/|$)`);
/** Paths into core other than the listed modules (paths inside core, without extension). */
const coreExcept = (...allowed) => `${LAYER_PREFIX}core(/(?!(${allowed.join('|')})$)|$)`;
/** The trainer process needs core's file formats (the import's image decoding among them) and durable writes, never its services, store or hosts. */
const UTILITY_CORE_MODULES = ['datasets/packed-format', 'datasets/decode-image', 'checkpoints/checkpoint-format', 'durable-files', 'disk-space'];
const NODE_BUILTINS = '^node:|^(fs|path|os|child_process|crypto|http|https|net|url|worker_threads|stream|util)(/|$)';

const RENDERER_FORBIDDEN = ['^electron$', NODE_BUILTINS, '(^|/)src-main/', '^@tensorflow/', '^better-sqlite3$', '^sharp$', '^ws$'];
const RENDERER_WHY = 'the renderer sees only the typed client and @common (the contract); never Node, Electron or core code.';

const patterns = (forbidden, why) => forbidden.map((regex) => ({ regex, message: why }));

/**
 * Each layer, the paths of other layers it must not import (as import-path regexes), and why. A later
 * config replaces a rule's options for the files it matches, so a sub-folder passes its parent's
 * patterns as `inherited`.
 */
function layer(files, forbidden, why, inherited = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...inherited, ...patterns(forbidden, why)] }],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/attribute-hyphenation': 'off',
      'vue/v-on-event-hyphenation': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  layer(
    ['src-main/common/**'],
    [NODE_BUILTINS, '^electron$', '^@tensorflow/', '^better-sqlite3$', '^sharp$', '^ws$', ...upper('core', 'engine', 'transport', 'electron', 'utility', 'headless', 'cli')],
    'common is isomorphic: it imports nothing but zod.',
  ),
  layer(
    ['src-main/core/**'],
    ['^electron$', '^@tensorflow/', ...upper('engine', 'transport', 'electron', 'utility', 'headless', 'cli')],
    'core is plain Node: no Electron, no tfjs, nothing from the layers above it.',
  ),
  layer(
    ['src-main/engine/**'],
    ['^electron$', '^better-sqlite3$', '^sharp$', ...upper('core', 'transport', 'electron', 'utility', 'headless', 'cli')],
    'engine is tfjs on arrays: it never imports core, the store or Electron.',
  ),
  layer(
    ['src-main/transport/**'],
    ['^electron$', '^@tensorflow/', '^better-sqlite3$', ...upper('core', 'engine', 'electron', 'utility', 'headless', 'cli')],
    'transport adapts the contract to IPC and WebSocket; services are injected, Electron is passed in.',
  ),
  layer(
    ['src-main/utility/**'],
    ['^electron$', '^better-sqlite3$', ...upper('transport', 'electron', 'headless', 'cli'), coreExcept(...UTILITY_CORE_MODULES)],
    `the trainer process uses engine, common and of core only ${UTILITY_CORE_MODULES.join(', ')}; never the store, services or hosts.`,
  ),
  layer(
    ['src-main/electron/**'],
    ['^@tensorflow/', ...upper('engine', 'utility', 'headless', 'cli')],
    'the desktop composition root never trains in the main process: engine and utility run in the trainer process.',
  ),
  layer(
    ['src-main/headless.ts', 'src-main/cli.ts', 'src-main/cli/**'],
    ['^electron$', '^@tensorflow/', ...upper('engine', 'utility', 'electron')],
    'serve mode and the CLI run in plain Node over core, common and transport; engine and utility run in the trainer process.',
  ),
  layer(
    ['src-preload/**'],
    ['(^|/)src-main/(?!common/ipc-channels$)', NODE_BUILTINS],
    'the preload exposes call and on; it imports Electron and the IPC channel names only.',
  ),
  layer(['src-renderer/**'], RENDERER_FORBIDDEN, RENDERER_WHY),
  layer(
    ['src-renderer/lib/**'],
    ['^(\\.{1,2}/(.*/)?)?(stores|pages|components)(/|$)'],
    'lib holds pure helpers: stores, pages and components import lib, never the other way.',
    patterns(RENDERER_FORBIDDEN, RENDERER_WHY),
  ),
);
