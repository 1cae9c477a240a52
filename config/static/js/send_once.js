// A form is sent once. A second click (a double click, or an impatient one while the answer is on its way) sent it
// again, and the server took both: two findings, two comments, or an edit refused as "changed by someone else" just
// after it was saved. While a POST form's answer is awaited, its further submits are ignored and it says it is busy
// (aria-busy; the buttons show it). It is free again once a field of it changes (that is another sending, such as
// an export with other options: the answer of a download leaves the page where it is), after a few seconds, or when
// the Back button brings the page back. A form whose own script handles its sending (it prevented the default) is
// left to it.
(function () {
  "use strict";
  var WAIT_MS = 8000;

  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // the attribute: a field named "method" (an inspection record's measuring method) shadows the property
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    if (event.defaultPrevented) return;
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    setTimeout(function () { release(form); }, WAIT_MS);
  });

  function changed(event) {
    var form = event.target && event.target.form;
    if (form && form.dataset.sending) release(form);
  }
  document.addEventListener("input", changed, true);
  document.addEventListener("change", changed, true);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) Array.prototype.forEach.call(document.forms, release);
  });
})();
