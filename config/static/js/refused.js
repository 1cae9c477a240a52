// A refused form comes back on its page filled as it was sent (status 400), its message at the top of the page. On
// a long page (an application with its map, an inspection with its records and report) that form is far below the
// message. The page brings the refused form into view, opens what folds it, says the message again at the form's
// top when the one above is out of sight, and puts the cursor in its first field. The refused form is the one that
// posted to the address this page answers (``data-posted-to`` on <body>, set for a POST only); nothing happens on a
// page that says no error.
(function () {
  "use strict";
  var posted = document.body.dataset.postedTo;
  var error = document.querySelector(".messages li.error");
  if (!posted || !error) return;
  var form = Array.prototype.filter.call(document.forms, function (candidate) {
    // the attribute, not ``candidate.action``: a field named "action" (an inspection finding's) shadows that property
    return new URL(candidate.getAttribute("action") || "", window.location.href).pathname === posted;
  })[0];
  if (!form) return;
  for (var fold = form.parentElement; fold; fold = fold.parentElement) {
    if (fold.tagName === "DETAILS") fold.open = true;
  }
  var heading = form.previousElementSibling;
  var top = heading && /^H[2-4]$/.test(heading.tagName) ? heading : form;  // the form's own heading stays in view
  var at = top.getBoundingClientRect().top;
  if (at < 0 || at > window.innerHeight * 2 / 3) top.scrollIntoView({block: "start"});  // not already in sight
  if (error.getBoundingClientRect().bottom <= 0) {
    var said = document.createElement("p");
    said.className = "form-refusal";
    said.setAttribute("role", "alert");
    said.textContent = error.textContent;
    form.insertBefore(said, form.firstChild);
    top.scrollIntoView({block: "start"});
  }
  var field = form.querySelector("textarea, select, input:not([type=hidden]):not([type=submit]):not([type=file])");
  if (field && !field.disabled) field.focus({preventScroll: true});
})();
