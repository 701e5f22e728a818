import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Paths are resolved from this file, not from the working directory, so `vite --config web/vite.config.ts`
// behaves the same wherever it is started.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));

// The dev server forwards everything the UI calls to a locally running `watchpost serve`.
const server = 'http://127.0.0.1:9797';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // React and i18next are needed by every page and change rarely, so they get long-lived chunks of their own.
    // antd is left to automatic splitting: each lazily loaded page then fetches only the components it uses.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              priority: 2,
              test: /node_modules[\\/](react|react-dom|react-router|scheduler|cookie)[\\/]/,
            },
            {
              name: 'i18n',
              priority: 1,
              test: /node_modules[\\/](i18next|react-i18next|i18next-browser-languagedetector)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': server,
      '/healthz': server,
      '/readyz': server,
      '/metrics': server,
    },
  },
});
