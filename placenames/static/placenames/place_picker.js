// The application form's place picker: a renaming or a cancellation names its place by search, not by its id.
(function () {
  "use strict";
  const picker = document.getElementById("place-picker");
  if (!picker) return;
  const input = document.getElementById("place-search");
  const list = document.getElementById("place-suggestions");
  const chosen = document.getElementById("place-chosen");
  const refusal = document.getElementById("place-refusal");
  const hidden = picker.querySelector("input[type=hidden]");
  const type = document.querySelector("select[name=type]");
  let timer = null;
  let asked = "";

  // What a type does not use is not asked: a renaming keeps the place's kind, a cancellation only names the place.
  const UNUSED = {
    naming: [],
    renaming: ["kind"],
    cancellation: ["kind", "proposed_name", "specific", "generic", "pinyin", "meaning", "origin", "geom"],
  };
  const form = picker.closest("form");

  function showForType() {
    if (!type || form.querySelector("input[name=version]")) return;
    picker.classList.toggle("hidden", type.value === "naming");
    const unused = UNUSED[type.value] || [];
    form.querySelectorAll("label").forEach((label) => {
      const field = label.querySelector("[name]");
      if (field && field.name !== "type") label.classList.toggle("hidden", unused.includes(field.name));
    });
    const map = document.getElementById("draw-map");
    if (map) map.parentElement.classList.toggle("hidden", unused.includes("geom"));
    if (window.dimingDrawMap && !unused.includes("geom")) window.dimingDrawMap.resize();
  }

  function close() {
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
  }

  function choose(item) {
    hidden.value = item.uuid;
    input.value = item.name;
    chosen.textContent = chosen.dataset.prefix + item.label;
    close();
  }

  async function suggest() {
    const q = input.value.trim();
    if (!q || q === asked) return;
    asked = q;
    let results;
    try {
      ({results} = await window.DimingRefusal.ask(picker.dataset.url + "?q=" + encodeURIComponent(q)));
      window.DimingRefusal.say(refusal, null);
    } catch (refused) {
      asked = "";  // asked again on the next key, once signed in or back on the network
      if (q === input.value.trim()) { close(); window.DimingRefusal.say(refusal, refused); }
      return;
    }
    if (q !== input.value.trim()) return;
    list.replaceChildren(...results.map((item) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.tabIndex = 0;
      li.textContent = item.label;
      li.dataset.uuid = item.uuid;
      li.addEventListener("click", () => choose(item));
      li.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); choose(item); } });
      return li;
    }));
    if (!results.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = list.dataset.none || "";
      list.append(li);
    }
    input.setAttribute("aria-expanded", "true");
  }

  chosen.dataset.prefix = picker.dataset.chosen || "";
  input.addEventListener("input", () => {
    hidden.value = "";
    chosen.textContent = "";
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && list.firstElementChild) { event.preventDefault(); list.firstElementChild.focus(); }
    if (event.key === "Escape") close();
  });
  if (type) type.addEventListener("change", showForType);
  showForType();
})();
