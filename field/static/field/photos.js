// Photos shrunk on the device (canvas -> JPEG, the long side at most MAX_SIDE pixels), named by their sha256, and
// signatures drawn with a finger or stylus (PNG). Both are kept as blobs in the store until the server has them.
(function () {
  "use strict";
  var Field = window.Field = window.Field || {};
  var MAX_SIDE = 1600;
  var QUALITY = 0.82;

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function sha256(blob) {
    return blob.arrayBuffer().then(function (data) { return crypto.subtle.digest("SHA-256", data); }).then(hex);
  }

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, {imageOrientation: "from-image"}).catch(function () { return createImageBitmap(file); });
    }
    return new Promise(function (resolve, reject) {
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = reject;
      img.src = URL.createObjectURL(file);
    });
  }

  function toBlob(canvas, type, quality) {
    return new Promise(function (resolve, reject) {
      canvas.toBlob(function (blob) { if (blob) resolve(blob); else reject(new Error("encode")); }, type, quality);
    });
  }

  function shrink(file) {
    return decode(file).then(function (image) {
      var w = image.width, h = image.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) image.close();
      return toBlob(canvas, "image/jpeg", QUALITY);
    });
  }

  // Keeps a blob under its sha256 and answers {sha256, bytes}.
  function keep(blob, kind) {
    return sha256(blob).then(function (digest) {
      return Field.store.put("blobs", {sha256: digest, blob: blob, type: blob.type, kind: kind, kept_at: Date.now()})
        .then(function () { return {sha256: digest, bytes: blob.size}; });
    });
  }

  // A photo from the camera (or a file), shrunk, with when, where and which way it was taken.
  function takePhoto(file, role) {
    return shrink(file).then(function (blob) { return keep(blob, "photo"); }).then(function (kept) {
      var fix = Field.geo.last();
      var heading = fix && fix.heading !== null && fix.heading !== undefined ? fix.heading : Field.geo.heading();
      return {sha256: kept.sha256, bytes: kept.bytes, role: role, taken_at: new Date().toISOString(),
        lon: fix ? +fix.lon.toFixed(8) : null, lat: fix ? +fix.lat.toFixed(8) : null,
        heading: heading === null || heading === undefined ? null : Math.round(heading)};
    });
  }

  // A signature pad on a canvas: pointer events (finger, stylus, mouse); answers the PNG when asked.
  function signaturePad(canvas) {
    var ctx = canvas.getContext("2d");
    var drawing = false, strokes = 0;
    function size() {
      var ratio = window.devicePixelRatio || 1;
      var box = canvas.getBoundingClientRect();
      canvas.width = Math.max(1, Math.round(box.width * ratio));
      canvas.height = Math.max(1, Math.round(box.height * ratio));
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, box.width, box.height);
      ctx.lineWidth = 2.5;
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = "#111";
      strokes = 0;
    }
    function at(event) {
      var box = canvas.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    }
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = at(event);
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      var p = at(event);
      ctx.lineTo(p[0], p[1]);
      ctx.stroke();
      strokes++;
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });
    size();
    return {
      clear: size,
      isEmpty: function () { return strokes === 0; },
      png: function () { return toBlob(canvas, "image/png"); },
    };
  }

  Field.photos = {sha256: sha256, shrink: shrink, keep: keep, takePhoto: takePhoto, signaturePad: signaturePad};
})();
