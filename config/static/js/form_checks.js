// Every form's own checks (a required field left empty, a number out of its range, an e-mail address without its
// @) speak the page's language. The browser says them in the language of its own interface: English on a phone or a
// tablet set to English, or in a Chromium without its language packs, whatever the page's. When the browser finds
// a field invalid, the page gives it the message in its words (the "form-check-words" JSON, from the catalogues),
// and takes it back as soon as the field is changed, so the browser checks it afresh. A message another script set
// on a field is left as it is.
(function () {
  "use strict";
  var holder = document.getElementById("form-check-words");
  if (!holder) return;
  var words = JSON.parse(holder.textContent);
  var SAID = "dimingCheck";  // the field's property holding the message this script gave it

  function missing(field, type) {
    if (type === "file") return words.file;
    if (type === "checkbox") return words.checkbox;
    if (type === "radio" || field.tagName === "SELECT") return words.choose;
    return words.missing;
  }

  function message(field) {
    var v = field.validity, type = (field.type || "").toLowerCase();
    if (v.valueMissing) return missing(field, type);
    if (v.badInput) return type === "number" ? words.number : /^(date|datetime-local|month|week|time)$/.test(type) ? words.date : words.invalid;
    if (v.typeMismatch) return type === "email" ? words.email : type === "url" ? words.url : words.invalid;
    if (v.patternMismatch) return field.title ? words.pattern + " " + field.title : words.pattern;
    if (v.rangeUnderflow) return words.min.replace("{min}", field.min);
    if (v.rangeOverflow) return words.max.replace("{max}", field.max);
    if (v.tooShort) return words.tooShort.replace("{min}", String(field.minLength));
    if (v.tooLong) return words.tooLong.replace("{max}", String(field.maxLength));
    return words.invalid;  // a value between the steps, or anything else the browser refuses
  }

  function forget(field) {
    if (field[SAID] === undefined) return;
    delete field[SAID];
    field.setCustomValidity("");
  }

  document.addEventListener("invalid", function (event) {
    var field = event.target;
    if (!field.setCustomValidity) return;
    if (field.validity.customError && field.validationMessage !== field[SAID]) return;  // another script's message
    forget(field);
    if (field.validity.valid) return;
    field[SAID] = message(field);
    field.setCustomValidity(field[SAID]);
  }, true);

  function changed(event) {
    var field = event.target;
    // A radio group is checked as one: a choice made on any of its buttons answers the one that was refused.
    var group = field.type === "radio" && field.form && field.name ? field.form.elements[field.name] : null;
    if (group && group.length !== undefined) Array.prototype.forEach.call(group, forget);
    else if (field.setCustomValidity) forget(field);
  }
  document.addEventListener("input", changed, true);
  document.addEventListener("change", changed, true);
  // A page's script may fill a field without an input event (a point picked on a map fills the longitude): the
  // message given before would keep the form from being sent though the field is now filled. Before a form is sent
  // (a submit button's click comes before the browser's checks, Enter in a field included), its messages are
  // taken back, and the browser checks every field afresh.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button, input[type=submit], input[type=image]");
    if (!button || !button.form || (button.type || "").toLowerCase() === "button" ||
        (button.type || "").toLowerCase() === "reset") return;
    Array.prototype.forEach.call(button.form.elements, forget);
  }, true);
  document.addEventListener("reset", function (event) {
    Array.prototype.forEach.call(event.target.elements || [], forget);
  }, true);
})();
