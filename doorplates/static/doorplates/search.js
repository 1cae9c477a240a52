// Address autocomplete on the doorplates index: asks the API as the officer types, shows links to the plates.
(function () {
  var input = document.getElementById("address-q");
  var list = document.getElementById("address-results");
  if (!input || !list) return;
  var timer = null, seq = 0;
  function show(results, mine) {
    if (mine !== seq) return;
    list.innerHTML = "";
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      // a road, village or residential area (a short query) carries its page's address; a plate its own
      a.href = r.url || "plates/" + r.uuid + "/";
      a.textContent = r.address;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.dataset.count = String(results.length);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (!q) { list.innerHTML = ""; return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch(input.dataset.url + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) { show(data.results || [], mine); });
    }, 150);
  });
})();
