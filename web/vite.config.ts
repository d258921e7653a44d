import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// Admin SPA for Siar. Served by the server under /admin/ (with index.html fallback).
export default defineConfig({
  root: webRoot,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    // `npx vite --config web/vite.config.ts` proxies the API to a locally running server.
    proxy: {
      '/api': process.env.SIAR_API_URL ?? 'http://127.0.0.1:3000',
    },
  },
});
