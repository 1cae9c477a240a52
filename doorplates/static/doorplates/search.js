// Address autocomplete on the doorplates index: asks the API as the officer types, shows links to the plates.
(function () {
  var input = document.getElementById("address-q");
  var list = document.getElementById("address-results");
  var refusal = document.getElementById("address-refusal");
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
    if (!q) { list.innerHTML = ""; window.DimingRefusal.say(refusal, null); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      window.DimingRefusal.ask(input.dataset.url + "?q=" + encodeURIComponent(q)).then(function (data) {
        if (mine === seq) window.DimingRefusal.say(refusal, null);
        show(data.results || [], mine);
      }, function (refused) {  // a lapsed session or no network is said, not shown as "no such address"
        if (mine !== seq) return;
        show([], mine);
        window.DimingRefusal.say(refusal, refused);
      });
    }, 150);
  });
})();
