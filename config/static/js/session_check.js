// A form an officer sends after the session has lapsed (a long reason typed over lunch; a session ends two weeks
// after its sign-in, or when the password is changed elsewhere) would lead to the sign-in page, and what was typed
// would be lost. Before a form of a signed-in page (office or administration) open for some minutes is sent, the
// page asks the address that says whether the session holds (DimingRefusal.askSession); if the session
// has lapsed or the server cannot be reached, the form is not sent, and says so at its top, with a link to sign in
// in a new window: what was typed stays on this page, to be sent again once signed in. A sign-in replaces the form
// token (Django's CSRF token), so the page's forms take the token the session now holds before one is sent. A form
// whose own script already handles its sending (it prevented the default), a GET form, one that opens a new window,
// and signing out ("free") are left alone.
(function () {
  "use strict";
  var holder = document.getElementById("session-words");  // _session_check.html, on a signed-in user's pages only
  if (!window.DimingRefusal || !holder) return;
  var words = JSON.parse(holder.textContent);
  // A page sent moments ago was sent with a session that held: its forms go at once, as they always have. A page
  // open for longer (a reason typed at length, a page left open over lunch) asks first.
  var FRESH_MS = 5 * 60 * 1000;
  var known = Date.now();  // when the session was last known to hold

  function say(form, refusal) {
    var box = form.querySelector(".form-refusal") || document.createElement("p");
    box.className = "form-refusal";
    box.setAttribute("role", "alert");
    box.textContent = refusal.message + " " + words.kept;
    if (refusal.code === "not_authenticated") DimingRefusal.offerSignIn(box, true);
    box.dataset.refused = refusal.code;
    if (!box.parentNode) form.insertBefore(box, form.firstChild);
    box.scrollIntoView({block: "nearest"});
  }

  function send(form, submitter, token) {
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = token; });
    var old = form.querySelector(".form-refusal[data-refused]");
    if (old) old.remove();
    form.dataset.sessionChecked = "1";  // the submit event this fires passes through
    try {
      if (form.requestSubmit) form.requestSubmit(submitter || undefined);
      else form.submit();
    } finally {
      delete form.dataset.sessionChecked;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.dataset.sessionChecked) return;
    var action = new URL(form.getAttribute("action") || "", window.location.href).pathname;
    if (words.free.indexOf(action) >= 0) return;  // signing out needs no session
    var target = (event.submitter && event.submitter.getAttribute("formtarget")) || form.getAttribute("target") || "";
    if (target && target !== "_self") return;  // a new window opened later than the click would be taken for a pop-up
    // the attribute: a field named "method" (an inspection record's measuring method) shadows the property
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (Date.now() - known < FRESH_MS) return;
    event.preventDefault();
    if (form.dataset.sessionAsking) return;  // a second click while the first is asked
    form.dataset.sessionAsking = "1";
    var submitter = event.submitter;
    DimingRefusal.askSession().then(function (body) {
      delete form.dataset.sessionAsking;
      known = Date.now();
      send(form, submitter, body.csrf_token);
    }, function (refusal) {
      delete form.dataset.sessionAsking;
      say(form, refusal);
    });
  });
})();
