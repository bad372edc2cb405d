import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// One build for everything that ships: the Electron shell, the engine (run as a utilityProcess in the
// app and as a plain node child in browser mode), the browser-mode host, the preload and the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          engine: resolve('src/core/main.ts'),
          browser: resolve('src/browser/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot require() modules: bundle it to a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
      // Sandboxed preloads can require() only 'electron' (and a few built-ins): bundle zod and the
      // contract into the file instead of leaving require('zod') in it.
      externalizeDeps: false,
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
