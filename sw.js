// Event Playground's service worker: after the first visit the app (page,
// wasm, JS glue, CSS, icon; the lessons are compiled into the wasm) works
// with the network off.
//
// scripts/post-build.mjs (a Trunk post_build hook) fills in VERSION and
// PRECACHE for each build: with filehash = true the asset names change per
// build, so the list cannot be written by hand. A new build gives a new
// VERSION, so a new cache; activate deletes this scope's older caches.
const VERSION = 'dev';
const PRECACHE = ['./'];

// One cache per build and per scope: several copies of the app on one
// origin (e.g. /workshop-a/ and /workshop-b/) never delete each other's.
const PREFIX = `event-playground:${self.registration.scope}:`;
const CACHE = PREFIX + VERSION;
const PRECACHED = new Set(PRECACHE.map((path) => new URL(path, self.registration.scope).href));
const INDEX = new URL('./', self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // 'reload': straight from the network, never an older HTTP-cached copy.
      .then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Other origins and other methods go to the network untouched.
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page: the network first (a new release shows at once), the
    // cached page when offline. Routes live after '#', so one page serves all.
    event.respondWith(fetch(request).catch(() => caches.match(INDEX).then((r) => r ?? Response.error())));
    return;
  }
  if (PRECACHED.has(url.href)) {
    // Hashed build assets never change under one name: the cache first.
    event.respondWith(caches.match(request).then((r) => r ?? fetch(request)));
    return;
  }
  // Anything else of this origin (an instructor's lesson file): the network
  // first, and a copy kept so it opens offline after one visit.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && url.href.startsWith(self.registration.scope)) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((r) => r ?? Response.error())),
  );
});
