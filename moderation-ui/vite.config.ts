import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API serves dist/ in production; in development Vite proxies /api to a running api.
export default defineConfig({
  plugins: [react()],
  // The login's proof-of-work worker (libsodium, WebAssembly) is an ES module chunk of its
  // own, loaded only when the API asks for a proof: never part of the first load.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill would be inlined into index.html; the CSP allows only 'self' scripts.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
  },
  server: {
    proxy: { '/api': process.env.TINBAO_API_URL ?? 'http://127.0.0.1:3000' },
  },
});
