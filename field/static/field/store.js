// The device's store (IndexedDB): what the crew downloaded and everything it made, kept until the server took it.
// meta: key/value (session, packages, task types, cursors); tasks: a package's tasks; outbox: every change by its
// client id; blobs: photos and signatures by sha256; drafts: half-filled forms; track: the walk, point by point.
(function () {
  "use strict";
  var Field = window.Field = window.Field || {};
  var DB_NAME = "diming-field";
  var opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("meta");
        db.createObjectStore("tasks", {keyPath: "task_id"}).createIndex("pkg", "pkg");
        db.createObjectStore("outbox", {keyPath: "client_id"}).createIndex("state", "state");
        db.createObjectStore("blobs", {keyPath: "sha256"});
        db.createObjectStore("drafts", {keyPath: "task_id"});
        db.createObjectStore("track", {autoIncrement: true}).createIndex("day", "day");
      };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = function () { opening = null; reject(request.error); };
    });
    return opening;
  }

  function run(storeName, mode, body) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error("aborted")); };
        var stores = Array.isArray(storeName) ? storeName.map(function (n) { return tx.objectStore(n); })
          : tx.objectStore(storeName);
        body(stores, function (value) { result = value; });
      });
    });
  }

  function req(request, done) { request.onsuccess = function () { done(request.result); }; }

  Field.store = {
    get: function (store, key) {
      return run(store, "readonly", function (s, done) { req(s.get(key), done); });
    },
    put: function (store, value, key) {
      return run(store, "readwrite", function (s) { if (key === undefined) s.put(value); else s.put(value, key); });
    },
    putMany: function (store, values) {
      return run(store, "readwrite", function (s) { values.forEach(function (v) { s.put(v); }); });
    },
    del: function (store, key) {
      return run(store, "readwrite", function (s) { s.delete(key); });
    },
    delMany: function (store, keys) {
      return run(store, "readwrite", function (s) { keys.forEach(function (k) { s.delete(k); }); });
    },
    all: function (store, index, value) {
      return run(store, "readonly", function (s, done) {
        req(index ? s.index(index).getAll(value) : s.getAll(), done);
      });
    },
    keys: function (store, index, value) {
      return run(store, "readonly", function (s, done) {
        req(index ? s.index(index).getAllKeys(value) : s.getAllKeys(), done);
      });
    },
    count: function (store) {
      return run(store, "readonly", function (s, done) { req(s.count(), done); });
    },
    // Several stores in one transaction (``body(stores, done)``, the stores in the order named): a check and the change
    // it allows, with no other tab's write between them.
    within: function (stores, mode, body) { return run(stores, mode, body); },
    // Read-modify-write of one record in one transaction, so two tabs never overwrite each other's state.
    update: function (store, key, change) {
      return run(store, "readwrite", function (s, done) {
        var r = s.get(key);
        r.onsuccess = function () {
          if (!r.result) return done(null);
          var value = change(r.result) || r.result;
          s.put(value);
          done(value);
        };
      });
    },
  };
})();
