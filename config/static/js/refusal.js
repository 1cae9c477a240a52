// What an office page says when an API it asks as the officer types (a place picker, an address autocomplete, the
// next free number) refuses or cannot be reached. Every API refuses as {"error": {"code", "message"}}: a session
// that lapsed, a record outside the officer's regions, a value out of range. The page says that message where the
// suggestions would have been, instead of showing nothing, which reads as "no such place". The words for a server
// that cannot be reached come from the catalogues ("refusal-words", _refusal.html); a signed-in user's pages add
// the session's and the sign-in's ("session-words", _session_check.html).
(function () {
  "use strict";
  var holder = document.getElementById("refusal-words");
  var words = holder ? JSON.parse(holder.textContent) : {};

  // The answer's body when it is what was asked for; else throws the refusal: {code, message}. Only an object under
  // "error" is a refusal: a failed job's state says its error in words under that key, and is still its state.
  function read(response) {
    return response.json().catch(function () { return null; }).then(function (body) {
      if (response.ok && body && !(body.error && typeof body.error === "object")) return body;
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

  // The session's address, the sign-in's and their words: on a signed-in user's pages only ("session-words",
  // _session_check.html, which comes after this script).
  function session() {
    var found = document.getElementById("session-words");
    return found ? JSON.parse(found.textContent) : null;
  }

  // Adds to ``box`` the link that signs in again: in this window, coming back to this page (nothing typed here is
  // lost), or in a new one (this page keeps what was typed, to be sent once signed in).
  function offerSignIn(box, newWindow) {
    var signed = session() || {};
    var link = document.createElement("a");
    link.className = "sign-in-again";
    link.href = signed.signIn + (newWindow ? "" : "?next=" + encodeURIComponent(window.location.pathname +
      window.location.search));
    if (newWindow) {
      link.target = "_blank";
      link.rel = "noopener";
    }
    link.textContent = newWindow ? signed.signInElsewhere : signed.signInAgain;
    box.appendChild(document.createTextNode(" "));
    box.appendChild(link);
    return link;
  }

  // Whether the session this page was opened with still holds (accounts.views.session): resolves to its answer
  // (with the form token the session takes), or rejects with the refusal (not_authenticated once it lapsed).
  function askSession() {
    var signed = session();
    return signed ? ask(signed.session) : Promise.resolve({});  // a page without a session to ask: nothing to say
  }

  window.DimingRefusal = {ask: ask, read: read, say: say, askSession: askSession, offerSignIn: offerSignIn};
})();
