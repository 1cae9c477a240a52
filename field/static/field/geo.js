// Where the crew is: the GNSS watch, the compass, distances and bearings on the sphere, a fix averaged over several
// readings that each meet the task type's accuracy, and the day's track kept on the device.
(function () {
  "use strict";
  var Field = window.Field = window.Field || {};
  var R = 6371008.8;  // mean Earth radius, metres
  var rad = Math.PI / 180;
  var listeners = [];
  var last = null;
  var heading = null;
  var watching = null;
  var lastTrack = null;

  function distance(a, b) {
    var dLat = (b[1] - a[1]) * rad, dLon = (b[0] - a[0]) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function bearing(a, b) {
    var f1 = a[1] * rad, f2 = b[1] * rad, dl = (b[0] - a[0]) * rad;
    var y = Math.sin(dl) * Math.cos(f2);
    var x = Math.cos(f1) * Math.sin(f2) - Math.sin(f1) * Math.cos(f2) * Math.cos(dl);
    return (Math.atan2(y, x) / rad + 360) % 360;
  }

  function destination(origin, metres, degrees) {
    var d = metres / R, t = degrees * rad, f1 = origin[1] * rad, l1 = origin[0] * rad;
    var f2 = Math.asin(Math.sin(f1) * Math.cos(d) + Math.cos(f1) * Math.sin(d) * Math.cos(t));
    var l2 = l1 + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(f1), Math.cos(d) - Math.sin(f1) * Math.sin(f2));
    return [l2 / rad, f2 / rad];
  }

  function circle(centre, metres) {
    var ring = [];
    for (var i = 0; i <= 48; i++) ring.push(destination(centre, metres, i * 7.5));
    return {type: "Feature", properties: {}, geometry: {type: "Polygon", coordinates: [ring]}};
  }

  function compassPoint(degrees) {
    var names = Field.t("compass_points").split(",");
    return names[Math.round(degrees / 45) % 8];
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function fixOf(position) {
    var c = position.coords;
    return {lon: c.longitude, lat: c.latitude, accuracy_m: c.accuracy,
      heading: (c.heading === null || isNaN(c.heading)) ? heading : c.heading, at: position.timestamp || Date.now()};
  }

  function keepTrack(fix) {
    if (fix.accuracy_m > 50) return;
    if (lastTrack && distance([lastTrack.lon, lastTrack.lat], [fix.lon, fix.lat]) < 10 && fix.at - lastTrack.at < 60000) return;
    lastTrack = fix;
    Field.store.put("track", {day: today(), lon: fix.lon, lat: fix.lat, accuracy_m: fix.accuracy_m, at: fix.at});
  }

  function start() {
    if (watching !== null || !("geolocation" in navigator)) return;
    watching = navigator.geolocation.watchPosition(function (position) {
      last = fixOf(position);
      keepTrack(last);
      listeners.forEach(function (fn) { fn(last); });
    }, function (error) {
      listeners.forEach(function (fn) { fn(null, error); });
    }, {enableHighAccuracy: true, maximumAge: 0, timeout: 30000});
    var onTurn = function (event) {
      if (typeof event.webkitCompassHeading === "number") heading = event.webkitCompassHeading;
      else if (event.absolute && typeof event.alpha === "number") heading = (360 - event.alpha) % 360;
    };
    window.addEventListener("deviceorientationabsolute", onTurn);
    window.addEventListener("deviceorientation", onTurn);
  }

  // Collects fixes that meet `accuracy` until `count` of them came, then answers their mean.
  function averageFix(accuracy, count, progress) {
    var fixes = [];
    var stop;
    var promise = new Promise(function (resolve, reject) {
      var listener = function (fix, error) {
        if (!fix) { progress({error: error}); return; }
        if (fix.accuracy_m <= accuracy) fixes.push(fix);
        progress({fix: fix, good: fixes.length, needed: count});
        if (fixes.length >= count) {
          stop();
          var n = fixes.length;
          resolve({
            lon: +(fixes.reduce(function (s, f) { return s + f.lon; }, 0) / n).toFixed(8),
            lat: +(fixes.reduce(function (s, f) { return s + f.lat; }, 0) / n).toFixed(8),
            accuracy_m: +(Math.max.apply(null, fixes.map(function (f) { return f.accuracy_m; }))).toFixed(2),
            method: "gnss_avg", fixes: n,
          });
        }
      };
      stop = function () { listeners = listeners.filter(function (l) { return l !== listener; }); };
      listeners.push(listener);
      start();
    });
    promise.cancel = function () { stop(); };
    return promise;
  }

  Field.geo = {
    distance: distance, bearing: bearing, circle: circle, compassPoint: compassPoint, today: today,
    start: start, averageFix: averageFix,
    last: function () { return last; },
    heading: function () { return heading; },
    on: function (fn) { listeners.push(fn); start(); },
    trackOf: function (day) { return Field.store.all("track", "day", day || today()); },
  };
})();
