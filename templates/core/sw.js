/* Impasto's service worker (served by impasto.core.views.service_worker at /sw.js).
 *
 * - Precaches the offline page and the static files every page needs.
 * - Pages (navigations): network first; when the network fails, the offline page. Pages are
 *   never stored: they may be personal (signed in) or private.
 * - /static/ files: served from the cache, refreshed in the background (their URLs carry a
 *   content hash in production, so a cached copy is never stale there).
 * - Everything else (the API, media variants, POSTs, other origins) goes straight to the
 *   network and is never cached: media may become private after it was first seen.
 */
const CONFIG = {{ config }};
const CACHE = "impasto-" + CONFIG.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(CONFIG.precache.map((url) => new Request(url, { cache: "reload", credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("impasto-") && key !== CACHE) await caches.delete(key);
    }
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    await self.clients.claim();
  })());
});

async function page(event) {
  try {
    const preloaded = await event.preloadResponse;
    if (preloaded) return preloaded;
    return await fetch(event.request);
  } catch (error) {
    const cache = await caches.open(CACHE);
    return (await cache.match(CONFIG.offline)) || Response.error();
  }
}

async function staticFile(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request);
  const refresh = fetch(event.request).then((response) => {
    if (response.ok && response.type === "basic") cache.put(event.request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(staticFile(event));
  }
});
