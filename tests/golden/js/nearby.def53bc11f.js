/* Integrationsatlas near me: pure functions that sort offers by distance from a point. The
   point (the browser's position or a chosen place) is given by the page and never leaves it. */
/* exported atlasNearby */
var atlasNearby = (function () {
  "use strict";
  var EARTH_KM = 6371.0088; // mean radius

  /* Great-circle distance in km between [lat, lon] and {lat, lon} (haversine). */
  function distanceKm(point, origin) {
    var rad = Math.PI / 180;
    var dLat = (point[0] - origin.lat) * rad, dLon = (point[1] - origin.lon) * rad;
    var a = Math.pow(Math.sin(dLat / 2), 2)
          + Math.cos(origin.lat * rad) * Math.cos(point[0] * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  /* The distance to the nearest of an offer's places, or null when it has none. */
  function nearest(points, origin) {
    if (!points || !points.length) { return null; }
    return Math.min.apply(null, points.map(function (point) { return distanceKm(point, origin); }));
  }

  /* Items with their distance ({item, km}), nearest first; those without places keep their
     order (rank or A–Z) after all the others. */
  function byDistance(items, pointsOf, origin) {
    var measured = items.map(function (item, position) {
      return { item: item, km: nearest(pointsOf(item), origin), position: position };
    });
    return measured.sort(function (a, b) {
      if ((a.km === null) !== (b.km === null)) { return a.km === null ? 1 : -1; }
      return (a.km === null ? 0 : a.km - b.km) || a.position - b.position;
    });
  }

  return { distanceKm: distanceKm, nearest: nearest, byDistance: byDistance };
})();
