// A job's page while it runs: asks the job's state every second, moves the progress bar, and reloads the page
// (which then shows the result) once the job has finished.
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

  function poll() {
    fetch(section.dataset.stateUrl, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (state && state.finished) { window.location.reload(); return; }
        if (state) show(state);
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }

  setTimeout(poll, 1000);
})();
