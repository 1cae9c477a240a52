// The crews' app: work packages, tasks and their forms, the map and the outbox. Every word on screen comes from the
// page's catalogue (Field.t), every form from the task-types endpoint, every piece of data from the device's store.
(function () {
  "use strict";
  var Field = window.Field = window.Field || {};
  var STRINGS = JSON.parse(document.getElementById("field-strings").textContent);
  var UNSENT = ["queued", "sending", "partial", "conflict"];
  var state = {view: "packages", taskTypes: {}, packages: [], tasks: [], outbox: [], task: null, draft: null, pkg: null, pkgStatus: {}, pkgBusy: {}};
  var pads = {};
  var pendingChoices = {};
  var fixing = null;

  Field.t = function (key, values) {
    var text = STRINGS[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    return text;
  };
  var t = Field.t;

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name.indexOf("on") === 0) node.addEventListener(name.slice(2), value);
      else if (name === "dataset") Object.keys(value).forEach(function (k) { node.dataset[k] = value[k]; });
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // Fills `box` with `nodes`, keeping every child already drawn the same way. The lists are drawn again whenever
  // their data moves (each sync, each photo's progress, a package's download): a tap that began on a button before
  // the redraw must end on that same node, or the browser sends the click to neither the old button nor its copy.
  // Buttons on a kept node were made with older data, so they look their record up when tapped.
  function redraw(box, nodes) {
    var old = Array.prototype.slice.call(box.childNodes);
    var kept = nodes.filter(Boolean).map(function (node) {
      for (var i = 0; i < old.length; i++) {
        if (old[i] && old[i].isEqualNode(node)) { node = old[i]; old[i] = null; break; }
      }
      return node;
    });
    kept.forEach(function (node, i) { if (box.childNodes[i] !== node) box.insertBefore(node, box.childNodes[i] || null); });
    while (box.childNodes.length > kept.length) box.removeChild(box.lastChild);
  }

  function toast(text) {
    var box = $("#toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 4000);
  }

  function megabytes(bytes) { return (bytes / 1048576).toFixed(bytes < 1048576 ? 2 : bytes < 10485760 ? 1 : 0); }

  function when(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    if (isNaN(d)) return iso;
    return d.toLocaleString("zh-CN", {month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit"});
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // ---- views -------------------------------------------------------------------------------------------------------

  function show(view) {
    if (view !== "map") Field.map.pick(null);
    state.view = view;
    $$("main > section").forEach(function (s) { s.hidden = s.id !== "view-" + view; });
    $$("nav.tabs button").forEach(function (b) { b.setAttribute("aria-current", b.dataset.view === view || (view === "task" && b.dataset.view === "tasks") ? "page" : "false"); });
    if (view === "packages") renderPackages();
    if (view === "tasks") renderTasks();
    if (view === "outbox") renderOutbox();
    if (view === "map") openMap();
    window.scrollTo(0, 0);
  }

  function renderHeader() {
    var user = Field.outbox.session();
    var online = navigator.onLine;
    var net = $("#net");
    net.textContent = online ? t("online") : t("offline");
    net.dataset.online = online ? "1" : "0";
    // Without a network the session cannot be asked: the crew is not told it is signed out, nor offered a sign-in
    // that can only open the browser's no-network page.
    Field.store.get("meta", "user").then(function (known) {
      $("#who").textContent = user ? (user.display_name || user.username) : known ?
        t(online ? "signed_out_as" : "offline_as", {name: known.display_name || known.username}) : "";
    });
    $("#sign-in").hidden = !!user || !online;
    $("#sign-out").hidden = !user;
    var unsent = state.outbox.filter(function (i) { return UNSENT.indexOf(i.state) >= 0; }).length;
    var badge = $("#outbox-count");
    badge.textContent = unsent ? String(unsent) : "";
    badge.hidden = !unsent;
    document.body.dataset.unsent = String(unsent);
    $("#login-dialog-open").hidden = !Field.outbox.authWanted() || !!user || !$("#sign-in").hidden;
    if (Field.outbox.expired() && !$("#login-dialog").open && !renderHeader.dismissed) $("#login-dialog").showModal();
  }

  // ---- packages ----------------------------------------------------------------------------------------------------

  function storageLine() {
    var box = $("#storage");
    if (!navigator.storage || !navigator.storage.estimate) { box.textContent = ""; return; }
    Promise.all([navigator.storage.estimate(), navigator.storage.persisted ? navigator.storage.persisted() : false]).then(function (r) {
      box.textContent = t("storage_used", {used: megabytes(r[0].usage || 0), free: megabytes(Math.max(0, (r[0].quota || 0) - (r[0].usage || 0)))}) +
        " · " + (r[1] ? t("storage_persistent") : t("storage_not_persistent"));
      box.dataset.persisted = r[1] ? "1" : "0";
    });
  }

  function refreshPackages() {
    return Field.outbox.api("GET", "packages").then(function (reply) {
      if (reply.status !== 200) return;
      state.packages = reply.body;
      return Field.store.put("meta", reply.body, "packages");
    }).catch(function () { return null; }).then(renderPackages);
  }

  function renderPackages() {
    storageLine();
    Promise.all([Field.store.get("meta", "packages"), Field.store.get("meta", "downloaded")]).then(function (r) {
      var list = r[0] || [];
      // The basemap each package holds on this tablet, to tell when the server has a newer one.
      return Promise.all(list.map(function (pkg) { return Field.store.get("meta", "basemap:" + pkg.id); }))
        .then(function (held) { return [list, r[1] || {}, held]; });
    }).then(function (r) {
      var list = r[0], downloaded = r[1], held = r[2];
      var current = function (id) { return (renderPackages.list || []).filter(function (p) { return p.id === id; })[0]; };
      renderPackages.list = list;
      redraw($("#package-list"), [!list.length ? el("p", {class: "muted", text: Field.outbox.session() ? t("no_packages") : t("sign_in_for_packages")}) : null]
        .concat(list.map(function (pkg, i) {
          var mine = downloaded[pkg.id], stored = held[i], busy = !!state.pkgBusy[pkg.id];
          var newer = mine && pkg.basemap && stored && stored.complete && stored.etag !== pkg.basemap.etag;
          var basemap = pkg.basemap ? t("basemap_size", {mb: megabytes(pkg.basemap.bytes || 0)}) : t("no_basemap");
          return el("article", {class: "card package", dataset: {pkg: pkg.id}}, [
            el("h3", {text: pkg.label}),
            el("p", {text: t("package_tasks", {n: pkg.task_count}) + " · " + basemap}),
            mine ? el("p", {class: "ok", text: t("package_downloaded", {n: mine.task_count, at: when(mine.updated_at)}) +
              (mine.basemap_bytes ? " · " + t("basemap_stored", {mb: megabytes(mine.basemap_bytes)}) : "")}) : null,
            newer ? el("p", {class: "warning basemap-newer", text: t("basemap_newer")}) : null,
            el("progress", {max: "1", value: "0", hidden: true}),
            // A finished action's word gives way to the newer-basemap note; a download under way keeps its own.
            el("p", {class: "status muted", text: newer && !busy ? "" : state.pkgStatus[pkg.id] || ""}),
            el("div", {class: "actions"}, [
              el("button", {class: "primary download", text: mine ? t("update") : t("download"), disabled: busy,
                onclick: function (event) { downloadPackage(current(pkg.id) || pkg, event.target.closest("article")); }}),
              mine ? el("button", {class: "open", text: t("open_tasks"), onclick: function () { state.pkg = pkg.id; show("tasks"); }}) : null,
              stored && (stored.complete || stored.done > 0) ? el("button", {class: "remove-basemap", text: t("remove_basemap"), disabled: busy,
                onclick: function () { removeBasemap(pkg, stored); }}) : null,
            ]),
          ]);
        })));
    });
  }

  // Frees the device's room: the basemap goes, the package's tasks and everything waiting to be sent stay.
  function removeBasemap(pkg, stored) {
    var mb = megabytes((stored.complete ? stored.bytes : stored.done) || 0);
    if (!window.confirm(t("remove_basemap_confirm", {name: pkg.label, mb: mb}))) return;
    state.pkgBusy[pkg.id] = true;
    Field.map.remove(pkg.id).then(function () {
      return Field.store.get("meta", "downloaded");
    }).then(function (downloaded) {
      if (downloaded && downloaded[pkg.id]) {
        delete downloaded[pkg.id].basemap_bytes;
        return Field.store.put("meta", downloaded, "downloaded");
      }
    }).then(function () {
      state.pkgStatus[pkg.id] = t("basemap_removed");
    }, function () {
      state.pkgStatus[pkg.id] = t("basemap_not_removed");
    }).then(function () {
      delete state.pkgBusy[pkg.id];
      renderPackages();
    });
  }

  function setStatus(card, text, fraction) {
    if (!card) return;
    var id = card.dataset.pkg;
    state.pkgStatus[id] = text;
    // The list may have been drawn again since the action began (刷新列表): write to the card shown now.
    card = Array.prototype.filter.call(document.querySelectorAll("#package-list article.package"), function (c) {
      return c.dataset.pkg === id; })[0] || card;
    $(".status", card).textContent = text;
    var bar = $("progress", card);
    bar.hidden = fraction === null || fraction === undefined;
    if (!bar.hidden) bar.value = fraction;
  }

  // Each task is kept with the person who downloaded it: only that person is shown it (loadTasks).
  function storeTasks(pkgId, tasks, removed, whole) {
    var me = Field.outbox.session();
    if (!me) return Promise.reject(new Field.outbox.errors.AuthNeeded());  // signed out while it downloaded
    var rows = tasks.map(function (task) { return Object.assign({}, task, {pkg: pkgId, user: me.username}); });
    return Field.store.keys("tasks", "pkg", pkgId).then(function (known) {
      var keep = {};
      rows.forEach(function (r) { keep[r.task_id] = 1; });
      var gone = whole ? known.filter(function (k) { return !keep[k]; }) : (removed || []);
      return Field.store.delMany("tasks", gone);
    }).then(function () { return Field.store.putMany("tasks", rows); });
  }

  function fetchTaskTypes() {
    return Field.outbox.api("GET", "task-types").then(function (reply) {
      if (reply.status !== 200) return;
      return Field.store.put("meta", reply.body, "taskTypes").then(loadTaskTypes);
    });
  }

  function fetchStyle() {
    return fetch("/tiles/style.json", {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (style) { return style ? Field.store.put("meta", style, "style") : null; }).catch(function () { return null; });
  }

  // A first download takes the whole package; later ones only what changed since the package's cursor.
  function downloadPackage(pkg, card) {
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().then(storageLine);
    state.pkgBusy[pkg.id] = true;
    $("button.download", card).disabled = true;
    setStatus(card, t("downloading_tasks"));
    var downloaded;
    return Promise.all([Field.store.get("meta", "downloaded"), fetchTaskTypes(), fetchStyle()]).then(function (r) {
      downloaded = r[0] || {};
      var mine = downloaded[pkg.id];
      if (mine && mine.cursor) {
        return Field.outbox.api("GET", "packages/" + encodeURIComponent(pkg.id) + "/changes?since=" + encodeURIComponent(mine.cursor)).then(function (reply) {
          if (reply.status === 410) return whole();
          if (reply.status !== 200) throw new Field.outbox.errors.Refused(reply.status, reply.body);
          return storeTasks(pkg.id, reply.body.tasks, reply.body.removed, false).then(function () {
            return {cursor: reply.body.cursor, changed: reply.body.tasks.length + (reply.body.removed || []).length};
          });
        });
      }
      return whole();
    }).then(function (result) {
      return Field.store.keys("tasks", "pkg", pkg.id).then(function (keys) {
        downloaded[pkg.id] = Object.assign(downloaded[pkg.id] || {}, {cursor: result.cursor, task_count: keys.length,
          updated_at: new Date().toISOString(), label: pkg.label});
        return Field.store.put("meta", downloaded, "downloaded").then(function () { return result; });
      });
    }).then(function (result) {
      setStatus(card, t("tasks_updated", {n: result.changed}));
      if (!pkg.basemap) return null;
      return Field.map.download(pkg.id, pkg.basemap, function (done, total) {
        setStatus(card, t("downloading_basemap", {done: megabytes(done), total: megabytes(total || 0)}), total ? done / total : 0);
      }).then(function (basemap) {
        downloaded[pkg.id].basemap_bytes = basemap.bytes;
        setStatus(card, basemap.skipped ? t("basemap_unchanged") : t("basemap_done"));
        return Field.store.put("meta", downloaded, "downloaded");
      });
    }).then(function () {
      state.pkg = pkg.id;
      Field.store.put("meta", pkg.id, "currentPkg");
      toast(t("package_ready", {name: pkg.label}));
      return loadTasks();
    }).catch(function (error) {
      setStatus(card, error instanceof Field.outbox.errors.AuthNeeded ? t("sign_in_needed")
        : error instanceof Field.map.NoRoom ? (error.free !== null && error.free < error.needed
          ? t("no_room_for_basemap", {need: megabytes(error.needed), free: megabytes(error.free)}) : t("device_full"))
        : error instanceof Field.outbox.errors.Refused && Field.outbox.wordsOf(error.body)
          ? Field.outbox.wordsOf(error.body)  // the server's reason (a package no longer for this crew), not "no network?"
        : t("download_failed"));
    }).then(function () {
      delete state.pkgBusy[pkg.id];
      renderPackages();
    });

    function whole() {
      return Field.outbox.api("GET", "packages/" + encodeURIComponent(pkg.id)).then(function (reply) {
        if (reply.status !== 200) throw new Field.outbox.errors.Refused(reply.status, reply.body);
        return storeTasks(pkg.id, reply.body.tasks, [], true).then(function () {
          return {cursor: reply.body.cursor, changed: reply.body.tasks.length};
        });
      });
    }
  }

  // ---- tasks -------------------------------------------------------------------------------------------------------

  function loadTaskTypes() {
    return Field.store.get("meta", "taskTypes").then(function (types) {
      state.taskTypes = {};
      (types || []).forEach(function (type) { state.taskTypes[type.key] = type; });
    });
  }

  // The tasks of whoever uses the app: the person signed in, else (signed out or with no network) the last one, whose
  // tasks are still here only if they did not sign out. Tasks kept before they carried their user are that last one's.
  function loadTasks() {
    return Promise.all([Field.store.all("tasks"), Field.store.get("meta", "user")]).then(function (r) {
      var me = Field.outbox.session() || r[1], last = r[1] && r[1].username;
      state.tasks = me ? r[0].filter(function (task) { return (task.user || last) === me.username; }) : [];
      if (state.view === "tasks") renderTasks();
    });
  }

  // What the packages brought for one person (the tasks, with grave owners' names and phones; the package list; the
  // cursors) leaves the device when that person signs out or someone else signs in: tablets are shared. What a crew
  // made (the outbox, drafts and their photos) stays until the server has it; basemaps are nobody's and stay too.
  function forgetDownloads() {
    state.tasks = [];
    state.packages = [];
    state.pkg = null;
    state.task = null;
    state.draft = null;
    renderPackages.list = [];
    $("#task-detail").textContent = "";
    $("#task-list").textContent = "";
    $("#package-list").textContent = "";
    Field.map.setTarget(null);
    Field.map.drawTasks([]);
    return Field.store.keys("tasks").then(function (keys) {
      return Field.store.delMany("tasks", keys);
    }).then(function () {
      return Field.store.delMany("meta", ["packages", "downloaded", "currentPkg"]);
    }).then(function () {
      show(state.view === "task" || state.view === "map" ? "packages" : state.view);
    });
  }

  // Someone signs in (the app opens, a sign-in, a lapsed session renewed): if it is not the last person who used the
  // app here, that person's downloads leave the device first; the review cursor goes too, as it would hide this
  // one's older reviews. Then the packages this person had when signing out come back.
  function signingIn(last, user) {
    var other = !!last && last.username !== user.username;
    return (other ? forgetDownloads().then(function () { return Field.store.del("meta", "reviewedSince"); }) : Promise.resolve())
      .then(function () { return restorePackages(user); });
  }

  // The packages a person had on the device when signing out (their ids and names: nothing personal) are downloaded
  // again when that person signs in here again, before the outbox is sent: a crew that signed out for lunch finds its
  // tasks again. Their basemaps never left.
  function restorePackages(user) {
    return Field.store.get("meta", "signedOutWith").then(function (note) {
      if (!note) return null;
      if (note.user !== user.username) return Field.store.del("meta", "signedOutWith");
      var downloaded = {};
      return note.packages.reduce(function (chain, pkg) {
        return chain.then(function () {
          return Field.outbox.api("GET", "packages/" + encodeURIComponent(pkg.id)).then(function (reply) {
            if (reply.status !== 200) return null;  // no longer this crew's package
            return storeTasks(pkg.id, reply.body.tasks, [], true).then(function () {
              downloaded[pkg.id] = {cursor: reply.body.cursor, task_count: reply.body.tasks.length,
                updated_at: new Date().toISOString(), label: pkg.label, basemap_bytes: pkg.basemap_bytes};
            });
          });
        });
      }, Promise.resolve()).then(function () {
        state.pkg = downloaded[note.current] ? note.current : null;
        return Field.store.put("meta", downloaded, "downloaded");
      }).then(function () {
        return state.pkg ? Field.store.put("meta", state.pkg, "currentPkg") : null;
      }).then(function () {
        return Field.store.del("meta", "signedOutWith");
      }).then(loadTasks).then(function () { if (state.view === "packages") renderPackages(); });
    }).catch(function () { return null; });  // no network now: the next sign-in tries again
  }

  // Notes the packages on the device for restorePackages (when signed out of the server too), then removes them.
  function forgetOnSignOut(user) {
    return Promise.all([Field.store.get("meta", "downloaded"), Field.store.get("meta", "currentPkg")]).then(function (r) {
      var held = r[0] || {};
      var packages = Object.keys(held).map(function (id) { return {id: id, label: held[id].label, basemap_bytes: held[id].basemap_bytes}; });
      return user && packages.length ? Field.store.put("meta", {user: user.username, packages: packages, current: r[1]}, "signedOutWith") : null;
    }).then(forgetDownloads);
  }

  function itemFor(taskId, latest) {
    if (latest) return latest[taskId] || null;
    var items = state.outbox.filter(function (i) { return i.task_id === taskId; });
    return items.sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; })[0] || null;
  }

  // The newest outbox item of each task, read once for a whole list (not the whole outbox once a card).
  function latestItems() {
    var latest = {};
    state.outbox.forEach(function (i) {
      if (!latest[i.task_id] || latest[i.task_id].created_at < i.created_at) latest[i.task_id] = i;
    });
    return latest;
  }

  function distanceText(task) {
    var fix = Field.geo.last();
    if (!fix || !task.geometry) return "";
    var here = [fix.lon, fix.lat], there = task.geometry.coordinates;
    var metres = Field.geo.distance(here, there), deg = Field.geo.bearing(here, there);
    var far = metres >= 1000 ? t("km", {n: (metres / 1000).toFixed(2)}) : t("m", {n: Math.round(metres)});
    return t("distance_bearing", {distance: far, bearing: Math.round(deg), point: Field.geo.compassPoint(deg)});
  }

  // Tasks due first (the latest-due last, those with no date after them), then by title with its numbers read as
  // numbers (#9 before #10). One collator for the whole sort: localeCompare with options builds one a call (5,700
  // tasks: 390 ms against 16).
  var TITLES = new Intl.Collator("zh", {numeric: true});
  function byDueThenTitle(a, b) {
    var da = a.due || "9999-12-31", db = b.due || "9999-12-31";
    if (da !== db) return da < db ? -1 : 1;
    return TITLES.compare(String(a.title), String(b.title));
  }

  // Whole days since the task's date, on this device's calendar (a task due today is not late).
  function daysLate(task) {
    if (!task.due) return 0;
    var now = new Date();
    var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    var due = Date.parse(task.due + "T00:00:00Z");
    return isFinite(due) ? Math.max(0, Math.round((today - due) / 86400000)) : 0;
  }

  function lateBadge(task) {
    var days = daysLate(task);
    return days ? el("span", {class: "badge late", dataset: {late: String(days)}, text: t("days_late", {n: days})}) : null;
  }

  var TASKS_AT_ONCE = 200;

  function renderTasks() {
    var box = $("#task-list");
    var query = ($("#task-search").value || "").trim();
    var type = $("#task-type").value;
    var filter = $("#task-type");
    if (filter.options.length <= 1) {
      Object.keys(state.taskTypes).forEach(function (key) { filter.appendChild(el("option", {value: key, text: state.taskTypes[key].label})); });
    }
    var found = state.tasks.filter(function (task) {
      return (!type || task.type === type) && (!query || (task.title + " " + (task.subtitle || "") + " " + (task.qr || "")).indexOf(query) >= 0);
    }).sort(byDueThenTitle);
    // A county's package can hold thousands of tasks: the list shows the first ones (the most urgent), and more on
    // request; a search or a type narrows it. Drawing them all made every keystroke wait a second on a tablet.
    var wanted = query + "\u0000" + type;
    if (state.taskQuery !== wanted) { state.taskQuery = wanted; state.tasksShown = TASKS_AT_ONCE; }
    var tasks = found.slice(0, state.tasksShown), left = found.length - tasks.length;
    var latest = latestItems();
    var more = left ? el("button", {type: "button", class: "more-tasks", text: t("more_tasks", {n: Math.min(left, TASKS_AT_ONCE), left: left}),
                                   onclick: function () { state.tasksShown += TASKS_AT_ONCE; renderTasks(); }}) : null;
    // A kind that cannot be used now says why (a rural-names campaign that is not under way in the county).
    redraw(box, Object.keys(state.taskTypes).map(function (key) {
      return state.taskTypes[key].unavailable ? el("p", {class: "muted notice", dataset: {kind: key}, text: state.taskTypes[key].unavailable}) : null;
    }).concat([state.tasks.length ? null : el("p", {class: "muted", text: t("no_tasks")})], tasks.map(function (task) {
      var item = itemFor(task.task_id, latest);
      var typeLabel = state.taskTypes[task.type] ? state.taskTypes[task.type].label : "";
      return el("button", {class: "card task", dataset: {task: task.task_id}, onclick: function () { openTask(task.task_id); }}, [
        el("span", {class: "title", text: task.title}),
        el("span", {class: "sub", text: [typeLabel, task.subtitle].filter(Boolean).join(" · ")}),
        el("span", {class: "meta"}, [
          task.due ? el("span", {text: t("due", {date: task.due})}) : null,
          lateBadge(task),
          (task.comments || []).length ? el("span", {class: "comment-flag", text: t("has_comments", {n: task.comments.length})}) : null,
          el("span", {class: "distance", text: distanceText(task)}),
          item ? stateBadge(item.state) : null,
        ]),
      ]);
    }), [more]));
  }

  // The outbox changes while the crew looks at the list: only the badges change, the cards stay under the finger.
  function updateTaskBadges() {
    var latest = latestItems();
    $$("#task-list .card.task").forEach(function (card) {
      var item = itemFor(card.dataset.task, latest);
      var meta = $(".meta", card), old = $(".badge", meta);
      if (old && item && old.dataset.state === item.state) return;
      if (old) old.remove();
      if (item) meta.appendChild(stateBadge(item.state));
    });
  }

  function stateBadge(value) {
    return el("span", {class: "badge state-" + value, dataset: {state: value}, text: t("state_" + value)});
  }

  // The choice a value stands for: itself, or the choice an older form's value now is (field.aliases: a record kept
  // on the device before the office changed the form's choices).
  function chosen(field, value) {
    var aliases = (field && field.aliases) || {};
    var current = field && (field.choices || []).some(function (c) { return String(c[0]) === String(value); });
    return !current && Object.prototype.hasOwnProperty.call(aliases, value) ? aliases[value] : value;
  }

  function choiceLabel(field, value) {
    if (value === null || value === undefined || value === "") return t("empty_value");
    if (field && field.type === "boolean") return value ? t("yes") : t("no");
    value = chosen(field, value);
    var found = field && (field.choices || []).filter(function (c) { return String(c[0]) === String(value); })[0];
    return found ? found[1] : String(value);
  }

  function openTask(taskId) {
    var task = state.tasks.filter(function (x) { return x.task_id === taskId; })[0];
    if (!task) { toast(t("task_not_in_package")); return; }
    state.task = task;
    Field.map.setTarget(task);
    Field.store.get("drafts", taskId).then(function (draft) {
      state.draft = draft || {task_id: taskId, values: {}, photos: [], signatures: [], position: null, remarks: ""};
      renderTask();
      show("task");
    });
  }
  Field.app = {openTask: openTask, daysLate: daysLate};

  // A record the server refused, opened again in its form with everything the crew gave (values, photos, position,
  // remarks): saved, it is a new record with a new client id (the server keeps its refusal for the old one), and the
  // refused one leaves the outbox then, not before.
  function editRefused(item) {
    var task = state.tasks.filter(function (x) { return x.task_id === item.task_id; })[0];
    if (!task) { toast(t("task_not_in_package")); return; }
    var body = item.body || {};
    state.task = task;
    Field.map.setTarget(task);
    state.draft = {task_id: task.task_id, values: Object.assign({}, body.changes || {}),
      photos: (body.photos || []).map(function (p) { return Object.assign({}, p); }),
      signatures: (body.signatures || []).map(function (s) { return Object.assign({}, s); }),
      position: body.position || null, remarks: body.remarks || "", replaces: item.client_id,
      // Refused by the office after the server took it whole: the server has its photos (their bytes may have
      // left the device), so they are not sent again.
      uploaded: item.state === "accepted" ? (item.blobs || []).slice() : []};
    saveDraft().then(function () { renderTask(); show("task"); });
  }

  function saveDraft() {
    state.draft.saved_at = Date.now();
    return Field.store.put("drafts", state.draft);
  }

  function fieldInput(field, value) {
    var name = field.name;
    var onChange = function (v) { state.draft.values[name] = v; saveDraft(); };
    if (field.type === "choice") {
      var choices = field.choices || [];
      value = chosen(field, value);
      if (choices.length <= 6) {
        return el("div", {class: "segmented", role: "radiogroup", dataset: {field: name}}, choices.map(function (c) {
          return el("button", {type: "button", role: "radio", "aria-checked": String(String(value) === String(c[0])), dataset: {value: c[0]},
            text: c[1], onclick: function (event) {
              $$("button", event.target.parentNode).forEach(function (b) { b.setAttribute("aria-checked", String(b === event.target)); });
              onChange(c[0]);
            }});
        }));
      }
      var select = el("select", {name: name, onchange: function () { onChange(select.value); }},
        [el("option", {value: "", text: t("choose")})].concat(choices.map(function (c) { return el("option", {value: c[0], text: c[1]}); })));
      select.value = value === null || value === undefined ? "" : value;
      return select;
    }
    if (field.type === "boolean") {
      return el("div", {class: "segmented", role: "radiogroup", dataset: {field: name}}, [[true, t("yes")], [false, t("no")]].map(function (c) {
        return el("button", {type: "button", role: "radio", "aria-checked": String(value === c[0]), text: c[1], dataset: {value: String(c[0])},
          onclick: function (event) {
            $$("button", event.target.parentNode).forEach(function (b) { b.setAttribute("aria-checked", String(b === event.target)); });
            onChange(c[0]);
          }});
      }));
    }
    if (field.type === "text") {
      var area = el("textarea", {name: name, rows: "3", oninput: function () { onChange(area.value); }});
      area.value = value || "";
      return area;
    }
    var input = el("input", {name: name, type: field.type === "number" ? "number" : field.type === "date" ? "date" : "text",
      step: field.type === "number" ? "any" : null, inputmode: field.type === "number" ? "decimal" : null,
      oninput: function () { onChange(field.type === "number" ? (input.value === "" ? null : Number(input.value)) : input.value); }});
    input.value = value === null || value === undefined ? "" : value;
    return input;
  }

  function photoRoles(type) {
    var roles = (type.form.photo_roles || []).slice();
    (type.form.fields || []).filter(function (f) { return f.type === "photo"; }).forEach(function (f) {
      roles.push({role: f.name, label: f.label, required: f.required});
    });
    return roles;
  }

  function signatureRoles(type) {
    var roles = (type.form.signatures || []).slice();
    (type.form.fields || []).filter(function (f) { return f.type === "signature"; }).forEach(function (f) {
      roles.push({role: f.name, label: f.label});
    });
    return roles;
  }

  function photoSection(roles) {
    var pair = roles.some(function (r) { return r.role === "before"; }) && roles.some(function (r) { return r.role === "after"; });
    return el("section", {class: "photos" + (pair ? " pair" : "")}, [el("h3", {text: t("photos")})].concat(roles.map(function (role) {
      var list = el("div", {class: "thumbs"});
      var input = el("input", {type: "file", accept: "image/*", capture: "environment", multiple: true, class: "visually-hidden",
        dataset: {role: role.role}, onchange: function () { addPhotos(input, role.role, list); }});
      var box = el("div", {class: "photo-role", dataset: {role: role.role}}, [
        el("h4", {text: role.label + (role.required ? " *" : "")}),
        list,
        el("label", {class: "button"}, [t("take_photo"), input]),
      ]);
      drawThumbs(role.role, list);
      return box;
    })));
  }

  function drawThumbs(role, list) {
    list.textContent = "";
    state.draft.photos.filter(function (p) { return p.role === role; }).forEach(function (photo) {
      Field.store.get("blobs", photo.sha256).then(function (kept) {
        var img = el("img", {alt: t("photo"), class: "thumb"});
        if (kept) img.src = URL.createObjectURL(kept.blob);
        list.appendChild(el("figure", {class: "thumb-box"}, [img,
          el("button", {type: "button", class: "remove", "aria-label": t("remove_photo"), text: "×", onclick: function () {
            state.draft.photos = state.draft.photos.filter(function (p) { return p !== photo; });
            saveDraft().then(function () { drawThumbs(role, list); });
          }})]));
      });
    });
  }

  function addPhotos(input, role, list) {
    var files = Array.prototype.slice.call(input.files || []);
    input.disabled = true;
    var chain = Promise.resolve();
    files.forEach(function (file) {
      chain = chain.then(function () { return Field.photos.takePhoto(file, role); }).then(function (photo) {
        if (!state.draft.photos.some(function (p) { return p.sha256 === photo.sha256; })) state.draft.photos.push(photo);
        return saveDraft();
      });
    });
    chain.catch(function (error) { toast(t(full(error) ? "device_full_photo" : "photo_unreadable")); }).then(function () {
      input.value = "";
      input.disabled = false;
      drawThumbs(role, list);
      $("#task-form").dataset.photos = String(state.draft.photos.length);
    });
  }

  function signatureSection(roles) {
    pads = {};
    return el("section", {class: "signatures"}, [el("h3", {text: t("signatures")})].concat(roles.map(function (role) {
      var done = state.draft.signatures.filter(function (s) { return s.role === role.role; })[0];
      var canvas = el("canvas", {class: "signature-pad", dataset: {role: role.role}});
      var signer = el("input", {type: "text", name: "signer-" + role.role, placeholder: t("signer_name")});
      signer.value = done ? done.signer : "";
      var status = el("p", {class: "muted", text: done ? t("signed_by", {name: done.signer}) : t("sign_here")});
      var box = el("div", {class: "signature", dataset: {role: role.role}}, [
        el("h4", {text: role.label}), signer, canvas, status,
        el("div", {class: "actions"}, [
          el("button", {type: "button", text: t("clear"), onclick: function () {
            pads[role.role].clear();
            state.draft.signatures = state.draft.signatures.filter(function (s) { return s.role !== role.role; });
            status.textContent = t("sign_here");
            saveDraft();
          }}),
          el("button", {type: "button", class: "primary", text: t("confirm_signature"), onclick: function () {
            if (!signer.value.trim() || pads[role.role].isEmpty()) { toast(t("signature_incomplete")); return; }
            pads[role.role].png().then(function (png) { return Field.photos.keep(png, "signature"); }).then(function (kept) {
              state.draft.signatures = state.draft.signatures.filter(function (s) { return s.role !== role.role; });
              state.draft.signatures.push({role: role.role, signer: signer.value.trim(), sha256: kept.sha256, bytes: kept.bytes});
              status.textContent = t("signed_by", {name: signer.value.trim()});
              return saveDraft();
            });
          }}),
        ]),
      ]);
      setTimeout(function () { pads[role.role] = Field.photos.signaturePad(canvas); }, 0);
      return box;
    })));
  }

  function positionText(p) {
    if (p.method === "map") return t("position_tapped", {lon: p.lon.toFixed(7), lat: p.lat.toFixed(7)});
    return t("position_value", {lon: p.lon.toFixed(7), lat: p.lat.toFixed(7), acc: p.accuracy_m, method: t("method_" + p.method), n: p.fixes || 1});
  }

  function positionSection(type) {
    var accuracy = type.accuracy_m || 5, count = type.fix_count || 5;
    var result = el("p", {class: "position-result", text: state.draft.position ? positionText(state.draft.position) : t("no_position")});
    var live = el("p", {class: "muted live"});
    var startButton = el("button", {type: "button", class: "primary", text: t("take_position"), onclick: function () {
      if (fixing) { fixing.cancel(); fixing = null; startButton.textContent = t("take_position"); live.textContent = ""; return; }
      startButton.textContent = t("stop_position");
      fixing = Field.geo.averageFix(accuracy, count, function (p) {
        if (p.error) { live.textContent = t("no_gnss"); return; }
        live.textContent = t("fix_progress", {acc: p.fix.accuracy_m.toFixed(1), good: p.good, needed: p.needed}) +
          (p.fix.accuracy_m > accuracy ? " " + t("fix_too_coarse") : "");
      });
      fixing.then(function (position) {
        fixing = null;
        state.draft.position = position;
        result.textContent = positionText(position);
        live.textContent = "";
        startButton.textContent = t("take_position");
        saveDraft();
      });
    }});
    var lon = el("input", {type: "number", step: "any", name: "rtk-lon", inputmode: "decimal", placeholder: t("longitude")});
    var lat = el("input", {type: "number", step: "any", name: "rtk-lat", inputmode: "decimal", placeholder: t("latitude")});
    var acc = el("input", {type: "number", step: "any", name: "rtk-accuracy", inputmode: "decimal", placeholder: t("accuracy_m")});
    var method = el("select", {name: "rtk-method"}, [el("option", {value: "rtk", text: t("method_rtk")}), el("option", {value: "typed", text: t("method_typed")})]);
    return el("section", {class: "position"}, [
      el("h3", {text: t("position")}),
      el("p", {class: "muted", text: t("position_rule", {acc: accuracy, n: count})}),
      result, live, el("div", {class: "actions"}, [startButton, type.map_position ? el("button", {type: "button", class: "pick-on-map",
        text: t("pick_on_map"), onclick: pickOnMap}) : null]),
      el("details", {class: "rtk"}, [el("summary", {text: t("typed_position")}),
        el("div", {class: "grid"}, [lon, lat, acc, method]),
        el("button", {type: "button", text: t("use_typed_position"), onclick: function () {
          var v = [Number(lon.value), Number(lat.value), Number(acc.value)];
          if (!lon.value || !lat.value || !acc.value || Math.abs(v[0]) > 180 || Math.abs(v[1]) > 90 || v[2] <= 0) { toast(t("typed_position_invalid")); return; }
          state.draft.position = {lon: v[0], lat: v[1], accuracy_m: v[2], method: method.value, fixes: 1};
          result.textContent = positionText(state.draft.position);
          saveDraft();
        }})]),
    ]);
  }

  // A tap on the map is the record's position (kinds that take one): the map opens on the crew's position, the next
  // tap there sets the draft's position and the form comes back.
  function pickOnMap() {
    if (fixing) { fixing.cancel(); fixing = null; }
    var draft = state.draft;
    show("map");
    Field.map.pick(function (at) {
      draft.position = {lon: +at.lon.toFixed(7), lat: +at.lat.toFixed(7), accuracy_m: null, method: "map", fixes: 0};
      saveDraft().then(function () { renderTask(); show("task"); toast(t("position_taken_from_map")); });
    });
    Field.map.centreOnMe();
    renderTarget();
  }

  function renderTask() {
    var task = state.task, type = state.taskTypes[task.type];
    var box = $("#task-detail");
    box.textContent = "";
    if (!type) { box.appendChild(el("p", {text: t("unknown_task_type")})); return; }
    var fields = (type.form.fields || []).filter(function (f) { return f.type !== "photo" && f.type !== "signature"; });
    var form = el("form", {id: "task-form", dataset: {task: task.task_id}, onsubmit: function (event) { event.preventDefault(); submitTask(); }});
    fields.forEach(function (field) {
      var value = field.name in state.draft.values ? state.draft.values[field.name] : (task.values || {})[field.name];
      form.appendChild(el("div", {class: "field", dataset: {name: field.name}}, [
        el("label", {class: "label", text: field.label + (field.required ? " *" : "")}),
        fieldInput(field, value),
        field.help ? el("p", {class: "muted help", text: field.help}) : null,
      ]));
    });
    var roles = photoRoles(type);
    if (roles.length) form.appendChild(photoSection(roles));
    var signers = signatureRoles(type);
    if (signers.length) form.appendChild(signatureSection(signers));
    form.appendChild(positionSection(type));
    form.dataset.photos = String(state.draft.photos.length);
    if (state.draft.replaces) form.appendChild(el("p", {class: "warning", text: t("editing_refused")}));
    var remarks = el("textarea", {name: "remarks", rows: "3", oninput: function () { state.draft.remarks = remarks.value; saveDraft(); }});
    remarks.value = state.draft.remarks || "";
    form.appendChild(el("div", {class: "field"}, [el("label", {class: "label", text: t("other_remarks")}), remarks]));
    form.appendChild(el("div", {class: "actions sticky"}, [
      el("button", {type: "button", text: t("back"), onclick: function () { show("tasks"); }}),
      el("button", {type: "submit", class: "primary save", text: t("save_record")}),
    ]));

    var item = itemFor(task.task_id);
    box.appendChild(el("header", {class: "task-head"}, [
      el("h2", {text: task.title}),
      el("p", {class: "muted"}, [[type.label, task.subtitle, task.due ? t("due", {date: task.due}) : ""].filter(Boolean).join(" · "), " ", lateBadge(task)]),
      item ? el("p", {}, [t("last_record"), " ", stateBadge(item.state)]) : null,
      task.geometry ? el("p", {class: "way", id: "way-text", text: distanceText(task) || t("waiting_for_gnss")}) : null,
      task.geometry ? el("button", {type: "button", text: t("show_on_map"), onclick: function () { show("map"); Field.map.centreOn(task.geometry.coordinates); }}) : null,
    ]));
    if (task.personal && (task.personal.owner_name || task.personal.owner_phone)) {
      box.appendChild(el("section", {class: "personal card"}, [
        el("h3", {text: t("owner")}),
        el("p", {}, [task.personal.owner_name || "", " ",
          task.personal.owner_phone ? el("a", {class: "button", href: "tel:" + task.personal.owner_phone, text: t("call", {phone: task.personal.owner_phone})}) : null]),
      ]));
    }
    if ((task.comments || []).length) {
      box.appendChild(el("section", {class: "comments"}, [el("h3", {text: t("office_comments")})].concat(task.comments.map(function (c) {
        return el("blockquote", {}, [el("p", {text: c.text}), el("footer", {class: "muted", text: [c.by, when(c.at)].filter(Boolean).join(" · ")})]);
      }))));
    }
    var known = type.creates ? [] : fields.filter(function (f) { return (task.values || {})[f.name] !== undefined; });
    if (known.length) {
      box.appendChild(el("details", {class: "current"}, [el("summary", {text: t("current_values")}),
        el("dl", {}, [].concat.apply([], known.map(function (f) { return [el("dt", {text: f.label}), el("dd", {text: choiceLabel(f, task.values[f.name])})]; })))]));
    }
    box.appendChild(form);
  }

  // Keeping a record takes a few steps on the device's store: a second tap on Save meanwhile would make a second
  // record, so the button waits for the first.
  var saving = null;

  function submitTask() {
    var task = state.task, type = state.taskTypes[task.type], draft = state.draft;
    if (saving === draft) return;
    var fields = (type.form.fields || []).filter(function (f) { return f.type !== "photo" && f.type !== "signature"; });
    var missing = fields.filter(function (f) {
      var v = f.name in draft.values ? draft.values[f.name] : (task.values || {})[f.name];
      return f.required && (v === null || v === undefined || v === "");
    }).map(function (f) { return f.label; });
    photoRoles(type).forEach(function (role) {
      if (role.required && !draft.photos.some(function (p) { return p.role === role.role; })) missing.push(role.label);
    });
    if (missing.length) { toast(t("required_missing", {fields: missing.join("、")})); return; }
    var changes = {}, base = {};
    Object.keys(draft.values).forEach(function (name) {
      var before = (task.values || {})[name];
      if (JSON.stringify(draft.values[name]) !== JSON.stringify(before === undefined ? null : before)) {
        changes[name] = draft.values[name];
        if ((task.versions || {})[name] !== undefined && task.versions[name] !== null) base[name] = task.versions[name];
      }
    });
    var clientId = uuid();
    var user = Field.outbox.session();
    var body = {
      client_id: clientId, task_id: task.task_id, type: task.type, record_id: task.record_id,
      changes: changes, base_versions: base, position: draft.position || null,
      photos: draft.photos.map(function (p) {
        return {sha256: p.sha256, bytes: p.bytes, role: p.role, taken_at: p.taken_at, lon: p.lon, lat: p.lat, heading: p.heading};
      }),
      signatures: draft.signatures.map(function (s) { return {role: s.role, signer: s.signer, sha256: s.sha256}; }),
      remarks: draft.remarks || "", made_at: new Date().toISOString(),
    };
    var blobs = body.photos.map(function (p) { return p.sha256; }).concat(body.signatures.map(function (s) { return s.sha256; }));
    var button = $("#task-form button.save");
    var release = function () { saving = null; button.disabled = false; };
    saving = draft;
    button.disabled = true;
    Field.store.get("meta", "user").then(function (known) {
      var owner = user || known;
      if (!owner) { toast(t("sign_in_first")); return null; }
      return Field.outbox.add({
        client_id: clientId, user: owner.username, user_name: owner.display_name || owner.username,
        task_id: task.task_id, type: task.type, body: body,
        title: type.creates && String(changes.name || "").trim() ? String(changes.name).trim() + " · " + task.title : task.title,
        blobs: blobs, uploaded: (draft.uploaded || []).filter(function (sha) { return blobs.indexOf(sha) >= 0; }),
        labels: fields.reduce(function (acc, f) { acc[f.name] = f.label; return acc; }, {}),
      }).then(function () {
        return draft.replaces ? Field.store.del("outbox", draft.replaces) : null;  // replaced by the new record
      }).then(function () {
        return Field.store.del("drafts", task.task_id);
      }).then(function () {
        toast(t("record_saved"));
        if (state.draft !== draft) return;  // the crew opened another record meanwhile
        state.draft = null;
        // Back to the list, unless the crew has gone to another tab while the record was being kept (the outbox,
        // to watch it go): the app does not take them away from it.
        if (state.view === "task") show("tasks");
      });
    }).then(release, function (error) {
      release();  // the record stays open here, as typed: saved again once the device can keep it
      toast(t(full(error) ? "device_full_record" : "record_not_saved"));
    });
  }

  // The browser refused to store more: the device (or the site's share of it) is full.
  function full(error) { return !!error && error.name === "QuotaExceededError"; }

  // ---- map and QR --------------------------------------------------------------------------------------------------

  function openMap() {
    var pkg = state.pkg;
    var tasks = state.tasks.filter(function (x) { return !pkg || x.pkg === pkg; });
    Field.map.show($("#map"), pkg, tasks).catch(function () { $("#map").dataset.failed = "1"; });
    renderTarget();
  }

  function renderTarget() {
    var box = $("#target");
    if (Field.map.picking()) { box.textContent = t("tap_on_map"); return; }
    var target = Field.map.target();
    var task = target && state.tasks.filter(function (x) { return x.task_id === target.task_id; })[0];
    box.textContent = task ? task.title + "：" + (distanceText(task) || t("waiting_for_gnss")) : t("no_target");
    var fix = Field.geo.last();
    $("#my-accuracy").textContent = fix ? t("my_accuracy", {acc: Math.round(fix.accuracy_m)}) : t("waiting_for_gnss");
  }

  function openScanned(text) {
    var code = String(text || "").trim();
    if (!code) return;
    var local = state.tasks.filter(function (x) { return x.qr && (x.qr === code || code.indexOf(x.qr) >= 0); })[0];
    if (local) { $("#qr-dialog").close(); openTask(local.task_id); return; }
    Field.outbox.api("GET", "lookup?qr=" + encodeURIComponent(code)).then(function (reply) {
      var found = reply.status === 200 && reply.body.task_id && state.tasks.filter(function (x) { return x.task_id === reply.body.task_id; })[0];
      if (found) { $("#qr-dialog").close(); openTask(found.task_id); } else $("#qr-status").textContent = t("qr_not_found");
    }).catch(function () { $("#qr-status").textContent = t("qr_not_found_offline"); });
  }

  function openScanner() {
    var dialog = $("#qr-dialog");
    $("#qr-status").textContent = t("qr_starting");
    $("#qr-code").value = "";
    dialog.showModal();
    Field.qr.start($("#qr-video"), openScanned).then(function (scanning) {
      $("#qr-video").hidden = !scanning;
      if (!$("#qr-dialog").open) { Field.qr.stop(); return; }
      $("#qr-status").textContent = scanning ? t("qr_point_camera") : t("qr_type_instead");
    });
  }

  // ---- outbox ------------------------------------------------------------------------------------------------------

  function loadOutbox() {
    return Field.store.all("outbox").then(function (items) {
      state.outbox = items.sort(function (a, b) { return a.created_at < b.created_at ? 1 : -1; });
      renderHeader();
      if (state.view === "outbox") renderOutbox();
      if (state.view === "tasks") updateTaskBadges();
    });
  }

  function outboxLine(item) {
    var progress = Field.outbox.progress[item.client_id];
    if (progress) return t("uploading_photo", {i: progress.photo, n: progress.photos, pct: progress.total ? Math.round(100 * progress.offset / progress.total) : 0});
    if (item.state === "queued" && item.next_at > Date.now()) {
      return (navigator.onLine ? t("retry_at", {at: new Date(item.next_at).toLocaleTimeString("zh-CN")}) : t("waiting_for_network"));
    }
    if (item.state === "queued") return navigator.onLine ? t("about_to_send") : t("waiting_for_network");
    if (item.state === "partial") return t("photos_pending", {n: (item.missing || []).length});
    if (item.state === "rejected") return item.detail || t("refused_by_server");
    if (item.state === "accepted") return t(typeCreates(item.type) ? "accepted_for_review" : "accepted_line");
    return item.detail || "";
  }

  function conflictBox(item) {
    // Kept outside the card, so a redraw while sending (progress, other items) never loses a half-made choice.
    var choices = pendingChoices[item.client_id] = pendingChoices[item.client_id] || Object.assign({}, item.resolution || {});
    var rows = (item.conflicts || []).map(function (c) {
      var label = c.label || (item.labels || {})[c.field] || t("a_field");
      var field = findField(item.type, c.field);
      var pick = function (which) {
        return el("button", {type: "button", role: "radio", "aria-checked": String(choices[c.field] === which), dataset: {choice: which, field: c.field},
          text: which === "yours" ? t("keep_mine", {value: choiceLabel(field, c.yours)}) : t("keep_theirs", {value: choiceLabel(field, c.theirs)}),
          onclick: function (event) {
            choices[c.field] = which;
            $$("button", event.target.parentNode).forEach(function (b) { b.setAttribute("aria-checked", String(b === event.target)); });
          }});
      };
      return el("div", {class: "conflict-row", dataset: {field: c.field}}, [
        el("p", {text: t("conflict_explained", {label: label})}),
        el("div", {class: "segmented"}, [pick("yours"), pick("theirs")]),
      ]);
    });
    return el("div", {class: "conflict"}, rows.concat([
      item.resolution ? el("p", {class: "muted", text: t("resolution_waiting")}) : null,
      el("button", {type: "button", class: "primary resolve", text: t("send_choice"), onclick: function () {
        var now = outboxItem(item.client_id);
        if (!now) return;
        var missing = (now.conflicts || []).filter(function (c) { return !choices[c.field]; });
        if (missing.length) { toast(t("choose_each_conflict")); return; }
        Field.outbox.chooseResolution(item.client_id, choices).then(loadOutbox);
      }}),
    ]));
  }

  function findField(typeKey, name) {
    var type = state.taskTypes[typeKey];
    return type && (type.form.fields || []).filter(function (f) { return f.name === name; })[0];
  }

  function renderOutbox() {
    var counts = {};
    state.outbox.forEach(function (i) { counts[i.state] = (counts[i.state] || 0) + 1; });
    $("#outbox-summary").textContent = state.outbox.length ? ["queued", "sending", "partial", "conflict", "rejected", "accepted"]
      .filter(function (s) { return counts[s]; }).map(function (s) { return t("state_" + s) + " " + counts[s]; }).join(" · ") : t("outbox_empty");
    var me = Field.outbox.session();
    redraw($("#outbox-list"), state.outbox.map(function (item) { return outboxCard(item, me); }));
  }

  function outboxItem(clientId) {
    return state.outbox.filter(function (i) { return i.client_id === clientId; })[0];
  }

  function outboxCard(item, me) {
    // The office's review of a record the server took; "received" beside a record it refused read as accepted.
    var review = item.review && (item.state === "accepted" || item.review.state !== "received") ? item.review : null;
    return el("article", {class: "card outbox-item", dataset: {client: item.client_id, state: item.state}}, [
      el("div", {class: "row"}, [el("h3", {text: item.title}), stateBadge(item.state)]),
      el("p", {class: "muted", text: t("made_at", {at: when(item.body.made_at)}) + " · " + t("photo_count", {n: item.body.photos.length})}),
      el("p", {class: "line", text: outboxLine(item)}),
      // Only what still waits for its maker: a record the server has is no one's to send.
      me && item.user !== me.username && UNSENT.indexOf(item.state) >= 0
        ? el("p", {class: "warning other-user", text: t("other_user", {name: item.user_name || item.user})}) : null,
      item.state === "conflict" ? conflictBox(item) : null,
      refused(item) && (!me || item.user === me.username) ? el("button", {type: "button", class: "edit-resend",
        text: t("edit_and_resend"), onclick: function () { var now = outboxItem(item.client_id); if (now) editRefused(now); }}) : null,
      review ? el("div", {class: "review"}, [el("p", {}, [t("office_review"), " ", el("span", {class: "badge review-" + review.state, text: t("review_" + review.state)})])]
        .concat((review.comments || []).map(function (c) {
          return el("blockquote", {}, [el("p", {text: c.text}), el("footer", {class: "muted", text: [c.by, when(c.at)].filter(Boolean).join(" · ")})]);
        }))) : null,
    ]);
  }

  // Refused by the server, or (a new record the office writes on approval) by the office's review: the crew may
  // correct it and send it again.
  function refused(item) {
    return item.state === "rejected" || (typeCreates(item.type) && !!item.review && item.review.state === "rejected");
  }

  function typeCreates(key) { return !!(state.taskTypes[key] && state.taskTypes[key].creates); }

  // After each round of sending: the office's review of what was sent, and the packages' changes.
  function afterSync() {
    return Field.store.get("meta", "reviewedSince").then(function (since) {
      var newest = since;  // the server's own clock, never the device's
      return Field.outbox.api("GET", "submissions" + (since ? "?since=" + encodeURIComponent(since) : "")).then(function (reply) {
        if (reply.status !== 200) return null;
        var list = Array.isArray(reply.body) ? reply.body : (reply.body.submissions || []);
        return Promise.all(list.map(function (s) {
          if (s.updated_at && (!newest || s.updated_at > newest)) newest = s.updated_at;
          return Field.store.update("outbox", s.client_id, function (item) {
            if (s.review) item.review = s.review;
            if (item.state !== "conflict" || s.state !== "conflict") {
              if (["accepted", "conflict", "rejected"].indexOf(s.state) >= 0 && item.state !== "queued" && item.state !== "sending") {
                item.state = s.state;
                if (s.conflicts) item.conflicts = s.conflicts;
              }
            }
          });
        })).then(function () { return newest ? Field.store.put("meta", newest, "reviewedSince") : null; });
      });
    }).catch(function () { return null; }).then(loadOutbox);
  }

  // ---- session -----------------------------------------------------------------------------------------------------

  function signIn() {
    var next = $("body").dataset.signedIn;
    var popup = window.open($("body").dataset.login + "?next=" + encodeURIComponent(next), "field-login", "width=520,height=680");
    if (!popup) window.location.href = $("body").dataset.login + "?next=" + encodeURIComponent($("body").dataset.shell);
  }

  function signedIn() {
    renderHeader.dismissed = false;
    if ($("#login-dialog").open) $("#login-dialog").close();
    return Field.outbox.signedIn().then(function () {
      renderHeader();
      refreshPackages();
      toast(t("signed_in"));
    });
  }

  function signOut(confirmed) {
    var user = Field.outbox.session();
    return Field.store.all("outbox").then(function (items) {
      var unsent = items.filter(function (i) { return user && i.user === user.username && UNSENT.indexOf(i.state) >= 0; }).length;
      if (unsent && !confirmed) {
        $("#signout-count").textContent = t("signout_warning", {n: unsent});
        $("#signout-dialog").showModal();
        return null;
      }
      return signOutNow(unsent);
    });
  }

  function signOutNow(unsent) {
    var user = Field.outbox.session();
    return fetch($("body").dataset.logout, {method: "POST", credentials: "same-origin", redirect: "manual",
      headers: {"X-CSRFToken": Field.outbox.csrf() || ""}}).catch(function () { return null; }).then(function (reply) {
      Field.outbox.clearSession();
      renderHeader.dismissed = true;
      renderHeader();
      // With no network the server's session outlives this sign-out: whoever opens the app next would be signed in
      // as this person, so nothing is noted to bring back then.
      return forgetOnSignOut(reply ? user : null);
    }).then(function () {
      toast(unsent ? t("signed_out_kept", {n: unsent}) : t("signed_out"));
    });
  }

  // ---- service worker ----------------------------------------------------------------------------------------------

  function registerWorker() {
    var notice = $("#no-offline");
    var noOffline = function (why) {  // no offline copy: said at once, so a crew does not find out in the mountains
      notice.textContent = notice.dataset[why];
      notice.hidden = false;
    };
    if (!("serviceWorker" in navigator)) {
      noOffline(window.isSecureContext ? "oldBrowser" : "insecure");
      return;
    }
    var shell = $("body").dataset.shell;
    navigator.serviceWorker.register($("body").dataset.worker, {scope: shell}).then(function (registration) {
      if (!registration) return;  // workers blocked by the browser's policy: the app works, just not offline-first
      var offerUpdate = function (worker) {
        if (!navigator.serviceWorker.controller) return;  // the first install: nothing to replace
        $("#update-banner").hidden = false;
        $("#update-now").onclick = function () { worker.postMessage("take-over"); };
      };
      if (registration.waiting) offerUpdate(registration.waiting);
      registration.addEventListener("updatefound", function () {
        var worker = registration.installing;
        worker.addEventListener("statechange", function () { if (worker.state === "installed") offerUpdate(worker); });
      });
      setInterval(function () { if (navigator.onLine) registration.update().catch(function () {}); }, 30 * 60 * 1000);
    }).catch(function () { noOffline("refused"); });  // a certificate this device does not trust, most often
    navigator.serviceWorker.ready.then(function () { document.documentElement.dataset.offlineReady = "1"; });
    var reloading = false;
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (reloading || !$("#update-banner").dataset.asked) return;
      reloading = true;
      window.location.reload();
    });
    $("#update-now").addEventListener("click", function () { $("#update-banner").dataset.asked = "1"; });
  }

  // ---- start -------------------------------------------------------------------------------------------------------

  function bind() {
    $$("nav.tabs button").forEach(function (b) { b.addEventListener("click", function () { show(b.dataset.view); }); });
    $("#sign-in").addEventListener("click", signIn);
    $("#login-dialog-open").addEventListener("click", function () { $("#login-dialog").showModal(); });
    $("#login-go").addEventListener("click", signIn);
    $("#login-later").addEventListener("click", function () { renderHeader.dismissed = true; $("#login-dialog").close(); });
    $("#sign-out").addEventListener("click", function () { signOut(false); });
    $("#signout-confirm").addEventListener("click", function () { $("#signout-dialog").close(); signOut(true); });
    $("#signout-cancel").addEventListener("click", function () { $("#signout-dialog").close(); });
    $("#refresh-packages").addEventListener("click", refreshPackages);
    $("#task-search").addEventListener("input", renderTasks);
    $("#task-type").addEventListener("change", renderTasks);
    $("#send-now").addEventListener("click", function () { Field.outbox.retryNow(); });
    $("#export-outbox").addEventListener("click", function () {
      Field.outbox.exportFile().then(function (blob) {
        var a = el("a", {href: URL.createObjectURL(blob), download: "outbox-" + new Date().toISOString().slice(0, 10) + ".json"});
        document.body.appendChild(a);
        a.click();
        a.remove();
      });
    });
    $("#import-outbox").addEventListener("change", function (event) {
      var file = event.target.files[0];
      if (!file) return;
      Field.outbox.importFile(file).then(function (n) { toast(t("imported", {n: n})); loadOutbox(); }, function () { toast(t("import_failed")); });
      event.target.value = "";
    });
    $("#scan").addEventListener("click", openScanner);
    $("#scan-map").addEventListener("click", openScanner);
    $("#qr-close").addEventListener("click", function () { $("#qr-dialog").close(); });
    $("#qr-dialog").addEventListener("close", Field.qr.stop);
    $("#qr-photo").addEventListener("change", function (event) {
      var file = event.target.files[0];
      if (!file) return;
      $("#qr-status").textContent = t("qr_reading");
      Field.qr.fromFile(file).then(function (text) {
        if (text) { $("#qr-code").value = text; openScanned(text); } else $("#qr-status").textContent = t("qr_unreadable");
      }, function () { $("#qr-status").textContent = t("qr_unreadable"); });
      event.target.value = "";
    });
    $("#qr-form").addEventListener("submit", function (event) { event.preventDefault(); openScanned($("#qr-code").value); });
    $("#centre-me").addEventListener("click", Field.map.centreOnMe);
    window.addEventListener("message", function (event) {
      if (event.origin === window.location.origin && event.data === "diming-field-signed-in") signedIn();
    });
    window.addEventListener("online", renderHeader);
    window.addEventListener("offline", renderHeader);
    Field.geo.on(function () {
      if (state.view === "map") renderTarget();
      var way = $("#way-text");
      if (way && state.task) way.textContent = distanceText(state.task) || t("waiting_for_gnss");
    });
  }

  // How long the app, opened with a network, waits to learn who is signed in before it shows the stored tasks: a
  // person who signed in after another one's session lapsed is not shown the other's tasks even for a moment.
  var SESSION_WAIT_MS = 4000;

  function start() {
    bind();
    registerWorker();
    Field.outbox.afterSync = afterSync;
    Field.outbox.signingIn = signingIn;
    Field.outbox.onChange(function () { clearTimeout(start.pending); start.pending = setTimeout(loadOutbox, 50); });
    var session = Field.outbox.loadSession().then(function () { return true; }, function () { return false; });
    var known = navigator.onLine ? Promise.race([session, new Promise(function (resolve) { setTimeout(resolve, SESSION_WAIT_MS); })]) : null;
    Promise.all([loadTaskTypes(), known]).then(function () {
      return Promise.all([Field.store.get("meta", "packages"), Field.store.get("meta", "currentPkg")]);
    }).then(function (r) {
      state.packages = r[0] || [];
      state.pkg = r[1] || null;
      return Promise.all([loadTasks(), loadOutbox()]);
    }).then(function () {
      show(state.tasks.length ? "tasks" : "packages");
      document.documentElement.dataset.ready = "1";
      return session.then(function (signedIn) {
        renderHeader();
        if (!signedIn) return;
        refreshPackages();
        fetchTaskTypes().then(function () { if (state.view === "tasks" && !$("#task-list .card.task")) renderTasks(); }).catch(function () {});
      });
    }).then(function () { return Field.outbox.start(); });
    Field.geo.start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
