import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    react(),
    // The app shell is cached by a service worker (Workbox), so the app opens without a
    // connection and shows the documents kept on the device (their content is in IndexedDB).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: 'Samverkan',
        short_name: 'Samverkan',
        lang: 'sv',
        start_url: '/',
        display: 'standalone',
        theme_color: '#1b6e3c',
        background_color: '#ffffff',
        icons: [],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/yjs/, /^\/socket\.io/],
        runtimeCaching: [
          {
            // Reads the app needs to open kept documents offline (session, lists, a document's
            // entry, people and organisations); never exports. Cleared at sign-out.
            urlPattern: ({ url, request }) =>
              request.method === 'GET' && url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/health') && !url.pathname.endsWith('/export'),
            handler: 'NetworkFirst',
            options: { cacheName: 'samverkan-api', networkTimeoutSeconds: 4, expiration: { maxEntries: 300 } },
          },
        ],
      },
    }),
  ],
  // The manifest lets scripts/sizeCheck.mjs measure the initial JavaScript.
  build: { manifest: true },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/yjs': { target: 'ws://localhost:3000', ws: true },
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
