// A job's page while it runs: asks the job's state every second, moves the progress bar, and reloads the page
// (which then shows the result) once the job has finished. It asks as an API client (refusal.js), so a lapsed
// session is a 401 it can say, not the sign-in form read as a state.
(function () {
  "use strict";

  var section = document.getElementById("job");
  if (!section || section.dataset.finished === "1") return;

  function show(state) {
    document.getElementById("job-status").textContent = state.status_label;
    document.getElementById("job-stage").textContent = state.stage_label || "";
    var bar = document.getElementById("job-progress");
    if (state.percent === null || state.percent === undefined) bar.removeAttribute("value");
    else bar.value = state.percent;
    document.getElementById("job-count").textContent = state.total ? state.done + " / " + state.total : "";
    var cancelling = document.getElementById("job-cancelling");
    var cancel = document.getElementById("job-cancel");
    if (cancelling) cancelling.hidden = !state.cancelling;
    if (cancel && state.cancelling) cancel.hidden = true;
  }

  // A refusal said under the bar, and taken back once the state comes again: a lost network (asked again in 3 s), or
  // a session that lapsed while the job ran (asked every 5 s: signed in again in another window, the bar moves on).
  var refused = document.getElementById("job-refusal");
  function say(refusal) {
    DimingRefusal.say(refused, refusal);
    if (refusal && refusal.code === "not_authenticated") DimingRefusal.offerSignIn(refused, true);
  }

  function poll() {
    DimingRefusal.ask(section.dataset.stateUrl).then(function (state) {
      say(null);
      if (state.finished) { window.location.reload(); return; }
      show(state);
      setTimeout(poll, 1000);
    }, function (refusal) {
      say(refusal);
      setTimeout(poll, refusal.code === "not_authenticated" ? 5000 : 3000);
    });
  }

  setTimeout(poll, 1000);
})();
