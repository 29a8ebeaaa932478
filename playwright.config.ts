import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 5174);

/** End-to-end specs in Debian's Chromium against the built demo (`npm run build` first; `npm test` does). */
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--disable-quic', '--enable-unsafe-swiftshader'],
    },
  },
  webServer: {
    command: `npx vite preview --mode demo --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
