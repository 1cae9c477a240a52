// What an office page says when an API it asks as the officer types (a place picker, an address autocomplete, the
// next free number) refuses or cannot be reached. Every API refuses as {"error": {"code", "message"}}: a session
// that lapsed, a record outside the officer's regions, a value out of range. The page says that message where the
// suggestions would have been, instead of showing nothing, which reads as "no such place". The words for a server
// that cannot be reached come from the catalogues ("refusal-words", in plain.html).
(function () {
  "use strict";
  var holder = document.getElementById("refusal-words");
  var words = holder ? JSON.parse(holder.textContent) : {};

  // The answer's body when it is what was asked for; else throws the refusal: {code, message}.
  function read(response) {
    return response.json().catch(function () { return null; }).then(function (body) {
      if (response.ok && body && !body.error) return body;
      var error = body && body.error && typeof body.error === "object" ? body.error : {};
      throw {code: error.code || "http_" + response.status, message: error.message || words.unreachable || ""};
    });
  }

  // Asks ``url`` as the signed-in officer; resolves to the body, or rejects with the refusal (a failed network too).
  function ask(url) {
    return fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}}).then(read, function () {
      throw {code: "unreachable", message: words.unreachable || ""};
    });
  }

  // Says ``refusal`` in ``box`` (a line under the field), or clears it with none; the code stays for tests and styles.
  function say(box, refusal) {
    if (!box) return;
    box.textContent = refusal ? refusal.message : "";
    box.hidden = !refusal;
    if (refusal) box.dataset.refused = refusal.code; else delete box.dataset.refused;
  }

  window.DimingRefusal = {ask: ask, read: read, say: say};
})();
