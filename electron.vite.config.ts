/** Build of the three Electron bundles: main (+ trainer, headless, CLI entries), preload and renderer. */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: {
        entry: {
          index: resolve(root, 'src-main/electron/index.ts'),
          trainer: resolve(root, 'src-main/utility/trainer.ts'),
          cli: resolve(root, 'src-main/cli.ts'),
        },
        formats: ['es'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: resolve(root, 'src-preload/index.ts'), formats: ['cjs'] },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    resolve: { alias: { '@common': resolve(root, 'src-main/common') } },
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  },
});
