import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The console: a static single-page app served under /console/ (locally by the gateway, in the cloud by CloudFront). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Fonts stay files (cached once), never inlined into the CSS.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
