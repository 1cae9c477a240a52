// The export form shows the kinds and states of the chosen layer only, and clears the others' ticks.
(function () {
  "use strict";
  const layer = document.querySelector("#export-form select[name=layer]");
  if (!layer) return;
  function show() {
    document.querySelectorAll("#export-form .layer-choices").forEach((box) => {
      const mine = box.dataset.layer === layer.value;
      box.hidden = !mine;
      if (!mine) box.querySelectorAll("input[type=checkbox]").forEach((input) => { input.checked = false; });
    });
  }
  layer.addEventListener("change", show);
  show();
})();
