// The outbox: every change the crew makes is kept on the device under its client id until the server has taken
// it, and its state says only what is known: queued (not sent), sending, partial (taken, photos still going),
// accepted, conflict (the office changed a field meanwhile: the crew chooses), rejected (the server refused it, with
// its reason). Sending retries with exponential backoff while online: timers and the online/visibility events, not
// Background Sync. Photos go in resumable chunks (HEAD the offset, PATCH the rest). A submission is idempotent by
// its client id, so sending one again after a cut connection is harmless.
(function () {
  "use strict";
  var Field = window.Field = window.Field || {};
  var API = "/field/api/v1/";
  var BACKOFF_FIRST_MS = 1000;
  var BACKOFF_MAX_MS = 5 * 60 * 1000;
  var SENDABLE = ["queued", "sending", "partial"];
  var session = {user: null, csrf: null};
  var running = false;
  var rerun = null;  // a sync asked for while one runs: {promise, resolve}, run once that one ends
  var timer = null;
  var authWanted = false;
  var expired = false;
  var listeners = [];

  function chunkBytes() { return window.fieldChunkBytes || 512 * 1024; }

  function AuthNeeded() { this.name = "AuthNeeded"; }
  function Unreachable(detail) { this.name = "Unreachable"; this.detail = detail; }
  function Refused(status, body) { this.name = "Refused"; this.status = status; this.body = body || {}; }

  function notify() { listeners.forEach(function (fn) { try { fn(); } catch (e) { console.error(e); } }); }

  // One request to the sync API. Answers {status, body, headers}; throws AuthNeeded on 401, Unreachable on a network
  // error or a 5xx (both mean: try again later), and lets the caller judge every other status.
  function api(method, path, options) {
    options = options || {};
    var headers = Object.assign({Accept: "application/json"}, options.headers || {});
    var body = options.body;
    if (body !== undefined && !(body instanceof Blob) && typeof body !== "string") {
      body = JSON.stringify(body);
      headers["Content-Type"] = "application/json";
    }
    if (method !== "GET" && method !== "HEAD" && session.csrf) headers["X-CSRFToken"] = session.csrf;
    return fetch(path.indexOf("/") === 0 ? path : API + path, {
      method: method, headers: headers, body: body, credentials: "same-origin", cache: "no-store",
      redirect: "manual",
    }).catch(function (error) { throw new Unreachable(String(error)); }).then(function (response) {
      if (response.status === 401 || response.type === "opaqueredirect") {
        if (session.user) expired = true;  // it worked before: the session ran out while the app was open
        session.user = null;
        authWanted = true;
        notify();
        throw new AuthNeeded();
      }
      if (response.status >= 500) throw new Unreachable("HTTP " + response.status);
      var type = response.headers.get("Content-Type") || "";
      var parse = method !== "HEAD" && type.indexOf("json") >= 0 ? response.json().catch(function () { return {}; })
        : Promise.resolve(null);
      return parse.then(function (json) { return {status: response.status, body: json, headers: response.headers}; });
    });
  }

  function loadSession() {
    return api("GET", "session").then(function (reply) {
      if (reply.status !== 200) throw new Refused(reply.status, reply.body);
      session.user = reply.body.user;
      session.csrf = reply.body.csrf_token;
      authWanted = false;
      expired = false;
      return Field.store.get("meta", "user").then(function (last) {
        // Before anything is shown or sent: what the last person downloaded leaves the device when someone else
        // signs in (the app's hook, which also brings back a returning person's packages).
        return Field.outbox.signingIn(last, session.user);
      }).then(function () {
        return Field.store.put("meta", reply.body.user, "user");
      }).then(function () { notify(); return session.user; });
    });
  }

  function backoff(attempts) {
    var wait = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * Math.pow(2, Math.max(0, attempts - 1)));
    return Math.round(wait * (0.8 + Math.random() * 0.4));
  }

  function save(clientId, change) {
    return Field.store.update("outbox", clientId, function (item) {
      change(item);
      item.updated_at = new Date().toISOString();
    });
  }

  // What the server answered for a submission, as the item's state.
  function applyReply(clientId, body) {
    return save(clientId, function (item) {
      item.state = body.state;
      item.missing = body.missing || [];
      item.conflicts = body.conflicts || [];
      item.detail = body.detail || "";
      if (body.review) item.review = body.review;
      item.resolution = null;  // a choice is sent once; a newer conflict asks the crew again
      item.attempts = 0;
      item.next_at = 0;
      item.error = "";
    });
  }

  // Words for people from a refusal: a refused submission's own answer ({"state": "rejected", "detail"}) or an
  // error ({"error": {"code", "message"}}, the shape of every API of the product).
  function detailOf(body) {
    if (!body) return "";
    return body.detail || (body.error && typeof body.error === "object" && body.error.message) || "";
  }

  function codeOf(body) {
    return body && body.error && typeof body.error === "object" ? body.error.code || "" : "";
  }

  function refuse(clientId, reply) {
    return save(clientId, function (item) {
      item.state = "rejected";
      item.detail = detailOf(reply.body) || Field.t("refused_by_server");
      item.error = "";
    });
  }

  // Sends one blob from the offset the server already has, chunk by chunk; a 409 tells the right offset.
  // Where a HEAD is worth asking first: a blob whose upload was cut before. A first try starts at 0 and a 409 tells
  // the server's offset anyway.
  var cut = {};

  function upload(sha, onProgress) {
    return Field.store.get("blobs", sha).then(function (kept) {
      if (!kept) return heldWhole(sha);
      var blob = kept.blob, total = blob.size;
      function from(offset) {
        onProgress(offset, total);
        if (offset >= total) return Promise.resolve();
        var end = Math.min(total, offset + chunkBytes());
        return api("PATCH", "uploads/" + sha, {
          body: blob.slice(offset, end),
          headers: {"Upload-Offset": String(offset), "Upload-Length": String(total),
            "Content-Type": "application/offset+octet-stream"},
        }).then(function (reply) {
          var next = parseInt(reply.headers.get("Upload-Offset") || "", 10);
          if (reply.headers.get("Upload-Complete") === "1") { onProgress(total, total); return null; }
          if (reply.status === 204 || reply.status === 200 || reply.status === 409) {
            if (isNaN(next)) throw new Unreachable("no offset");
            return from(next);
          }
          throw new Refused(reply.status, reply.body);
        });
      }
      if (!cut[sha]) {
        cut[sha] = true;  // until it completes: a failure on the way means the next try asks first
        return from(0).then(function () { delete cut[sha]; });
      }
      return api("HEAD", "uploads/" + sha).then(function (reply) {
        if (reply.status === 404) return from(0);
        if (reply.status !== 200) throw new Refused(reply.status, reply.body);
        if (reply.headers.get("Upload-Complete") === "1") return null;
        return from(parseInt(reply.headers.get("Upload-Offset") || "0", 10) || 0);
      }).then(function () { delete cut[sha]; });
    });
  }

  // A photo whose bytes are no longer on this device (an earlier version of the app removed them once another record
  // with the same photo was accepted) is lost only if the server does not hold that content whole already.
  function heldWhole(sha) {
    return api("HEAD", "uploads/" + sha).then(function (reply) {
      if (reply.status === 200 && reply.headers.get("Upload-Complete") === "1") return null;
      throw new Refused(0, {detail: Field.t("photo_lost")});
    });
  }

  function post(item) {
    return api("POST", "submissions", {body: item.body}).then(function (reply) {
      if (reply.status === 200 || reply.status === 201) return applyReply(item.client_id, reply.body);
      if (reply.status === 403 && codeOf(reply.body) === "csrf_failed") {
        return loadSession().then(function () { throw new Unreachable("csrf"); });
      }
      return refuse(item.client_id, reply);
    });
  }

  function status(item) {
    return api("GET", "submissions/" + item.client_id).then(function (reply) {
      if (reply.status === 200) return applyReply(item.client_id, reply.body);
      if (reply.status === 404) return save(item.client_id, function (i) { i.state = "queued"; });
      return refuse(item.client_id, reply);
    });
  }

  function sendPhotos(item) {
    var missing = (item.missing || []).slice();
    var done = 0;
    function next() {
      if (!missing.length) return status(item);
      var sha = missing.shift();
      return upload(sha, function (offset, total) {
        Field.outbox.progress[item.client_id] = {photo: done + 1, photos: item.missing.length, offset: offset, total: total};
        notify();
      }).then(function () { done++; return next(); });
    }
    return next();
  }

  // Every photo of an item not yet known to be whole on the server; each one done is noted on the item, so a retry
  // (after a 500, a reload, a night's sleep) never sends its bytes again.
  function uploadAll(item) {
    var uploaded = item.uploaded || [];
    var shas = (item.blobs || []).filter(function (sha) { return uploaded.indexOf(sha) < 0; });
    var done = (item.blobs || []).length - shas.length;
    function next() {
      if (!shas.length) return Promise.resolve();
      var sha = shas.shift();
      return upload(sha, function (offset, total) {
        Field.outbox.progress[item.client_id] = {photo: done + 1, photos: item.blobs.length, offset: offset, total: total};
        notify();
      }).then(function () {
        done++;
        return save(item.client_id, function (i) { i.uploaded = (i.uploaded || []).concat([sha]); });
      }).then(next);
    }
    return next();
  }

  function resolve(item) {
    return api("POST", "submissions/" + item.client_id + "/resolve", {body: {choices: item.resolution}}).then(function (reply) {
      if (reply.status === 200 || reply.status === 201) return applyReply(item.client_id, reply.body);
      return refuse(item.client_id, reply);
    });
  }

  // One item, as far as it goes now: post (or resolve), then the photos the server is missing, then its state.
  function sendOne(item) {
    var step, photosSent = false;
    if (item.state === "conflict") step = resolve(item);
    else if (item.state === "partial") {
      photosSent = !!(item.missing && item.missing.length);
      step = photosSent ? sendPhotos(item) : status(item);
    }
    else {
      // Photos first (each is a no-op when the server has it already), so the record usually lands whole at once.
      step = save(item.client_id, function (i) { i.state = "sending"; i.sent_at = new Date().toISOString(); })
        .then(function (fresh) { notify(); return uploadAll(fresh).then(function () { return post(fresh); }); });
    }
    return step.then(function (after) {
      notify();
      if (after && after.state === "partial" && after.missing && after.missing.length && !photosSent) return sendPhotos(after);
      return after;
    }).then(function (after) {
      delete Field.outbox.progress[item.client_id];
      if (after && after.state === "partial") {
        // Taken, but the server still waits for something: ask again later rather than in a tight loop.
        return save(item.client_id, function (i) { i.attempts = (i.attempts || 0) + 1; i.next_at = Date.now() + backoff(i.attempts); });
      }
      if (after && after.state === "accepted") return forgetBlobs(after).then(function () { return after; });
      return after;
    });
  }

  // Once accepted, the photos are the server's: their bytes leave the device unless another item or a draft still
  // needs them (photos are kept by content: the same picture can be in a half-filled form too). One transaction, so a
  // draft saved meanwhile is seen.
  function forgetBlobs(item) {
    return Field.store.within(["outbox", "drafts", "blobs"], "readwrite", function (stores) {
      var needed = {};
      var need = function (kept) { if (kept && kept.sha256) needed[kept.sha256] = 1; };
      stores[0].getAll().onsuccess = function (event) {
        event.target.result.forEach(function (other) {
          if (other.client_id !== item.client_id && other.state !== "accepted") (other.blobs || []).forEach(function (s) { needed[s] = 1; });
        });
        stores[1].getAll().onsuccess = function (event) {
          event.target.result.forEach(function (draft) { (draft.photos || []).concat(draft.signatures || []).forEach(need); });
          (item.blobs || []).forEach(function (s) { if (!needed[s]) stores[2].delete(s); });
        };
      };
    });
  }

  function due(item, now) {
    if (!session.user || item.user !== session.user.username) return false;
    if (item.state === "conflict") return !!item.resolution;
    return SENDABLE.indexOf(item.state) >= 0 && (item.next_at || 0) <= now;
  }

  function sendDue() {
    var now = Date.now();
    return Field.store.all("outbox").then(function (items) {
      var queue = items.filter(function (i) { return due(i, now); }).sort(function (a, b) {
        return a.created_at < b.created_at ? -1 : 1;
      });
      function next() {
        if (!queue.length) return null;
        var item = queue.shift();
        return sendOne(item).then(next, function (error) {
          delete Field.outbox.progress[item.client_id];
          if (error instanceof AuthNeeded) {
            return save(item.client_id, function (i) { if (i.state === "sending") i.state = "queued"; }).then(function () { throw error; });
          }
          if (error instanceof Refused) {
            return save(item.client_id, function (i) {
              i.state = "rejected";
              i.detail = detailOf(error.body) || Field.t("refused_by_server");
            }).then(next);
          }
          // Unreachable (network, 5xx) or anything unexpected: the item waits, untouched, and tries again later.
          return save(item.client_id, function (i) {
            if (i.state === "sending") i.state = "queued";
            i.attempts = (i.attempts || 0) + 1;
            i.next_at = Date.now() + backoff(i.attempts);
            i.error = error && error.detail ? "unreachable" : "failed";
          }).then(function () { if (!(error instanceof Unreachable)) console.error(error); });
        });
      }
      return next();
    });
  }

  function schedule() {
    clearTimeout(timer);
    Field.store.all("outbox").then(function (items) {
      var now = Date.now();
      var waiting = items.filter(function (i) { return session.user && i.user === session.user.username && SENDABLE.indexOf(i.state) >= 0; });
      if (!waiting.length) return;
      var soonest = Math.min.apply(null, waiting.map(function (i) { return i.next_at || now; }));
      timer = setTimeout(sync, Math.max(200, Math.min(soonest - now, 60000)));
    });
  }

  // Sends what is due; one tab at a time (Web Locks) so two open tabs never send the same item at once.
  function sync() {
    if (authWanted || !navigator.onLine) { schedule(); return Promise.resolve(); }
    if (running) {
      // The running sync may have read the server before what this caller waits for (a review, a new record):
      // one more run follows it, and this caller's promise ends with that run.
      if (!rerun) {
        rerun = {};
        rerun.promise = new Promise(function (resolve) { rerun.resolve = resolve; });
      }
      return rerun.promise;
    }
    running = true;
    notify();
    var work = function () {
      return (session.user ? Promise.resolve() : loadSession()).then(sendDue).then(Field.outbox.afterSync);
    };
    var locked = navigator.locks ? navigator.locks.request("diming-field-sync", {ifAvailable: true}, function (lock) {
      return lock ? work() : null;
    }) : work();
    return Promise.resolve(locked).catch(function (error) {
      if (!(error instanceof AuthNeeded || error instanceof Unreachable)) console.error(error);
    }).then(function () {
      running = false;
      notify();
      if (!rerun) { schedule(); return; }
      var waiting = rerun;
      rerun = null;
      return sync().then(waiting.resolve);
    });
  }

  // A change made on the device: kept first, sent when it can be.
  function add(entry) {
    var item = Object.assign({
      state: "queued", attempts: 0, next_at: 0, missing: [], conflicts: [], detail: "", error: "",
      created_at: new Date().toISOString(), updated_at: new Date().toISOString(),
    }, entry);
    return Field.store.put("outbox", item).then(function () { notify(); sync(); return item; });
  }

  function chooseResolution(clientId, choices) {
    return save(clientId, function (item) { item.resolution = choices; }).then(function () { notify(); return sync(); });
  }

  function retryNow() {
    return Field.store.all("outbox").then(function (items) {
      return Promise.all(items.filter(function (i) { return SENDABLE.indexOf(i.state) >= 0; }).map(function (i) {
        return save(i.client_id, function (x) { x.next_at = 0; });
      }));
    }).then(sync);
  }

  // The outbox as a file (JSON, photos inline as base64) for the office, and back.
  function exportFile() {
    return Promise.all([Field.store.all("outbox"), Field.store.all("blobs")]).then(function (both) {
      var items = both[0].filter(function (i) { return i.state !== "accepted"; });
      var wanted = {};
      items.forEach(function (i) { (i.blobs || []).forEach(function (s) { wanted[s] = 1; }); });
      var blobs = both[1].filter(function (b) { return wanted[b.sha256]; });
      return Promise.all(blobs.map(function (b) {
        return new Promise(function (resolve) {
          var reader = new FileReader();
          reader.onload = function () { resolve({sha256: b.sha256, type: b.type, kind: b.kind, data: reader.result}); };
          reader.readAsDataURL(b.blob);
        });
      })).then(function (encoded) {
        var doc = {format: "diming-field-outbox", version: 1, exported_at: new Date().toISOString(), items: items, blobs: encoded};
        return new Blob([JSON.stringify(doc)], {type: "application/json"});
      });
    });
  }

  function importFile(file) {
    return file.text().then(function (text) {
      var doc = JSON.parse(text);
      if (doc.format !== "diming-field-outbox") throw new Error("format");
      return Promise.all(doc.blobs.map(function (b) {
        return fetch(b.data).then(function (r) { return r.blob(); }).then(function (blob) {
          return Field.photos.sha256(blob).then(function (digest) {
            if (digest !== b.sha256) throw new Error("sha256");
            return {sha256: digest, blob: blob, type: b.type, kind: b.kind, kept_at: Date.now()};
          });
        });
      })).then(function (blobs) {
        return Field.store.putMany("blobs", blobs);
      }).then(function () {
        return Field.store.keys("outbox");
      }).then(function (known) {
        var fresh = doc.items.filter(function (i) { return known.indexOf(i.client_id) < 0; }).map(function (i) {
          if (i.state === "sending") i.state = "queued";
          i.next_at = 0;
          return i;
        });
        return Field.store.putMany("outbox", fresh).then(function () { notify(); sync(); return fresh.length; });
      });
    });
  }

  function start() {
    window.addEventListener("online", function () { retryNow(); });
    window.addEventListener("offline", notify);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) sync(); });
    setInterval(sync, 30000);
    // An item left "sending" by a closed tab or a sleeping device was not answered: it is queued again.
    return Field.store.all("outbox").then(function (items) {
      return Promise.all(items.filter(function (i) { return i.state === "sending"; }).map(function (i) {
        return save(i.client_id, function (x) { x.state = "queued"; x.next_at = 0; });
      }));
    }).then(sync);
  }

  Field.outbox = {
    api: api, loadSession: loadSession, sync: sync, add: add, start: start, retryNow: retryNow,
    chooseResolution: chooseResolution, exportFile: exportFile, importFile: importFile, upload: upload,
    progress: {},
    afterSync: function () { return null; },
    signingIn: function () { return null; },
    session: function () { return session.user; },
    csrf: function () { return session.csrf; },
    clearSession: function () { session.user = null; session.csrf = null; notify(); },
    authWanted: function () { return authWanted; },
    expired: function () { return expired; },
    signedIn: function () { authWanted = false; return loadSession().then(function (u) { retryNow(); return u; }); },
    running: function () { return running; },
    onChange: function (fn) { listeners.push(fn); },
    errors: {AuthNeeded: AuthNeeded, Unreachable: Unreachable, Refused: Refused},
    wordsOf: detailOf,
  };
})();
