// A plate's actions (status, revoke or reissue its QR code) ask first: a dialog shows what the action does and
// takes the reason, which goes with the form into the audit log. Without a reason nothing is sent.
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-action");
  if (!dialog) return;
  var question = document.getElementById("confirm-question");
  var reason = document.getElementById("confirm-reason");
  var missing = document.getElementById("confirm-missing");
  var pending = null;

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.confirmed === "1") return;
      event.preventDefault();
      pending = form;
      var status = form.querySelector("select[name=status]");
      question.textContent = form.dataset.confirm +
        (status ? " → " + status.options[status.selectedIndex].text : "");
      reason.value = "";
      missing.hidden = true;
      dialog.showModal();
      reason.focus();
    });
  });

  document.getElementById("confirm-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (!reason.value.trim()) { missing.hidden = false; reason.focus(); return; }
    pending.querySelector("input[name=reason]").value = reason.value.trim();
    pending.dataset.confirmed = "1";
    dialog.close();
    pending.requestSubmit();  // through the page's own checks (a lapsed session keeps the reason: session_check.js)
  });
  document.getElementById("confirm-cancel").addEventListener("click", function () { dialog.close(); pending = null; });
})();
