// Scanning a marker's or a plate's QR code. The browser's BarcodeDetector reads the camera's frames where it exists;
// elsewhere jsQR (served by the project, no network) reads them from a canvas. A photo of the code works too, and
// the number printed under the code can be typed. The text goes to Field.app.openScanned, which finds the record in
// the package (its qr field) or asks the lookup endpoint.
(function () {
  "use strict";
  var Field = window.Field = window.Field || {};
  var stream = null, looping = false;

  function stop() {
    looping = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
  }

  function nativeDetector() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new BarcodeDetector({formats: ["qr_code"]}) : null;
    }).catch(function () { return null; });
  }

  // Reads a code from an image, a bitmap or a video frame: answers its text or null.
  function readWith(native, source, width, height) {
    if (native) return native.detect(source).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
    if (typeof jsQR === "undefined") return Promise.resolve(null);
    var canvas = document.createElement("canvas");
    var scale = Math.min(1, 1024 / Math.max(width, height));
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var ctx = canvas.getContext("2d", {willReadFrequently: true});
    ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
    var pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    var found = jsQR(pixels.data, canvas.width, canvas.height, {inversionAttempts: "attemptBoth"});
    return Promise.resolve(found ? found.data : null);
  }

  // Starts the camera in `video` and calls found(text) once a code is read; answers false when there is no camera.
  function start(video, found) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return Promise.resolve(false);
    return nativeDetector().then(function (native) {
      return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (s) {
        stream = s;
        video.srcObject = s;
        return video.play().then(function () {
          looping = true;
          var tick = function () {
            if (!looping) return;
            if (!video.videoWidth) { setTimeout(tick, 250); return; }
            readWith(native, video, video.videoWidth, video.videoHeight).then(function (text) {
              if (text && looping) { stop(); found(text); } else setTimeout(tick, 250);
            }).catch(function () { setTimeout(tick, 500); });
          };
          tick();
          return true;
        });
      });
    }).catch(function () { stop(); return false; });
  }

  // A photo of the code (the camera app, or a picture already taken).
  function fromFile(file) {
    return Promise.all([nativeDetector(), createImageBitmap(file)]).then(function (both) {
      var bitmap = both[1];
      return readWith(both[0], bitmap, bitmap.width, bitmap.height).then(function (text) {
        if (bitmap.close) bitmap.close();
        return text;
      });
    });
  }

  Field.qr = {start: start, stop: stop, fromFile: fromFile};
})();
