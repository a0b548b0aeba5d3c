// Builds the single-page front end into web/dist, which `agora serve` serves at /
// (unknown paths fall back to index.html). `npm run dev` proxies the API to a
// local `agora serve` on AGORA_DEV_API (default http://127.0.0.1:8080).
import { defineConfig } from 'vite';

const api = process.env.AGORA_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    proxy: { '/api': api, '/metrics': api },
  },
});
