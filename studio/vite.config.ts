import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// Served by Merlai itself under /studio/ (merlai serve's gateway; in a cluster, the same ingress as the API).
export default defineConfig({
  base: '/studio/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020' },
  test: { environment: 'jsdom', globals: true, testTimeout: 60_000, // a busy machine is slow, not wrong
    include: ['test/**/*.test.tsx', 'test/**/*.test.ts'] },
});
