// Scanning a marker's or a plate's QR code with the camera. The browser's BarcodeDetector reads the frames where it
// exists; where it does not, the crew types the number printed under the code. Either way the text goes to
// Field.app.openScanned, which finds the record in the package (its qr field) or asks the lookup endpoint.
(function () {
  "use strict";
  var Field = window.Field = window.Field || {};
  var stream = null, looping = false;

  function stop() {
    looping = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
  }

  function detector() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(null);
    return BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new BarcodeDetector({formats: ["qr_code"]}) : null;
    }).catch(function () { return null; });
  }

  // Starts the camera in `video` and calls found(text) once a code is read; answers false when it cannot scan.
  function start(video, found) {
    return detector().then(function (reader) {
      if (!reader || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return false;
      return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (s) {
        stream = s;
        video.srcObject = s;
        return video.play().then(function () {
          looping = true;
          var tick = function () {
            if (!looping) return;
            reader.detect(video).then(function (codes) {
              if (codes.length && looping) { stop(); found(codes[0].rawValue); } else setTimeout(tick, 250);
            }).catch(function () { setTimeout(tick, 500); });
          };
          tick();
          return true;
        });
      }).catch(function () { stop(); return false; });
    });
  }

  Field.qr = {start: start, stop: stop};
})();
