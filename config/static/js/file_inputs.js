// Every file input of an office page speaks the page's language: the browser draws its own button and "no file"
// words in the language of its own interface (English on a tablet set to English, or in a Chromium without its
// language packs), whatever the page's. The input stays in the form, and keeps the keyboard focus and the browser's
// own check of a required file; it is only drawn as a button and the chosen file's name, in the page's words (the
// "file-input-words" JSON, from the catalogues). A file dropped on the control is taken as the browser takes it.
(function () {
  "use strict";
  var holder = document.getElementById("file-input-words");
  if (!holder) return;
  var words = JSON.parse(holder.textContent);

  function chosen(input) {
    var files = input.files ? Array.prototype.slice.call(input.files) : [];
    if (!files.length) return words.none;
    if (files.length === 1) return files[0].name;
    return words.many.replace("{count}", String(files.length));
  }

  function enhance(input) {
    var picker = document.createElement("span");
    picker.className = "file-picker";
    var button = document.createElement("span");
    button.className = "button secondary file-button";
    button.textContent = words.choose;
    var name = document.createElement("span");
    name.className = "file-name";
    picker.appendChild(button);
    picker.appendChild(name);
    input.classList.add("file-input-enhanced");
    input.insertAdjacentElement("afterend", picker);

    function show() {
      name.textContent = chosen(input);
      picker.classList.toggle("empty", !(input.files && input.files.length));
    }
    input.addEventListener("change", show);
    if (input.form) input.form.addEventListener("reset", function () { setTimeout(show, 0); });
    if (!input.closest("label")) {
      picker.addEventListener("click", function () { input.click(); });
    }
    picker.addEventListener("dragover", function (event) {
      event.preventDefault();
      picker.classList.add("dragging");
    });
    picker.addEventListener("dragleave", function () { picker.classList.remove("dragging"); });
    picker.addEventListener("drop", function (event) {
      event.preventDefault();
      picker.classList.remove("dragging");
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", {bubbles: true}));
    });
    show();
  }

  document.querySelectorAll("input[type=file]:not(.visually-hidden)").forEach(enhance);
})();
