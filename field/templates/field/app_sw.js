// The field app's service worker (scope /field/). It precaches the app shell into a cache named after the shell's
// version, answers the shell from that cache (so the app opens with no network) and leaves every other request,
// the sync API above all, to the network: the app itself keeps the data in IndexedDB and says honestly when the
// network is gone. A new version installs alongside, waits until the app asks it to take over, then drops the old
// caches.
"use strict";
const VERSION = "{{ version }}";
const CACHE = "diming-field-shell-" + VERSION;
const PRECACHE = {{ precache|safe }};
const SHELL = {{ shell|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) =>
    cache.addAll(PRECACHE.map((url) => new Request(url, {cache: "reload", credentials: "same-origin"})))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith("diming-field-shell-") && name !== CACHE)
    .map((name) => caches.delete(name)))).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data === "take-over") self.skipWaiting();
  if (event.data === "version" && event.source) event.source.postMessage({version: VERSION});
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(SHELL)).then((hit) => hit || fetch(request)));
    return;
  }
  if (PRECACHE.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(url.pathname)).then((hit) => hit || fetch(request)));
  }
});
