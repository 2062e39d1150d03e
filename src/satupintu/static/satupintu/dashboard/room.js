/* satupintu operations room: the kelurahan choropleth (Leaflet, no tile server needed).
 *
 * The polygons come once from the map's data-geojson URL; the figures (count, per km², per
 * 10,000 residents, with a legend each) from the JSON script #room-map-json, which htmx
 * replaces every 10 s: the polygons are then recoloured, not redrawn. A click on a
 * kelurahan opens the list of its reports. A tile layer is added only when data-tiles is set.
 */
(function () {
  "use strict";

  var map = null, layer = null, byCode = {};

  function figures() {
    var source = document.getElementById("room-map-json");
    if (!source) { return { areas: {}, legends: {} }; }
    try { return JSON.parse(source.textContent); } catch (e) { return { areas: {}, legends: {} }; }
  }

  function measure() {
    var checked = document.querySelector("input[name=room-measure]:checked");
    return checked ? checked.value : "reports";
  }

  function fmt(value) {
    if (value === null || value === undefined) { return "–"; }
    return new Intl.NumberFormat(document.documentElement.lang || "id", { maximumFractionDigits: 2 }).format(value);
  }

  function legend(data, key) {
    var box = document.getElementById("room-legend");
    if (!box) { return; }
    box.textContent = "";
    var spec = data.legends[key];
    if (!spec) { return; }
    var title = document.createElement("strong");
    title.textContent = spec.label;
    box.appendChild(title);
    spec.classes.forEach(function (c) {
      var item = document.createElement("span");
      item.className = "legend__item";
      var swatch = document.createElement("i");
      swatch.style.background = c.colour;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(c.lower === c.upper ? fmt(c.lower) : fmt(c.lower) + "–" + fmt(c.upper)));
      box.appendChild(item);
    });
  }

  function restyle() {
    if (!layer) { return; }
    var data = figures(), key = measure();
    layer.eachLayer(function (polygon) {
      var code = polygon.feature.properties.code;
      var area = data.areas[code];
      polygon.setStyle({
        fillColor: area ? area[key + "_colour"] : "#cccccc",
        fillOpacity: 0.85, color: "#555555", weight: 1
      });
      var text = polygon.feature.properties.name + ": " + fmt(area ? area[key] : null);
      polygon.unbindTooltip();
      polygon.bindTooltip(text, { sticky: true });
    });
    legend(data, key);
  }

  function start() {
    var box = document.getElementById("room-map");
    if (!box || !window.L || map) { return; }
    map = window.L.map(box, { scrollWheelZoom: false, attributionControl: !!box.dataset.tiles });
    if (box.dataset.tiles) {
      window.L.tileLayer(box.dataset.tiles, { maxZoom: 18, attribution: "© OpenStreetMap" }).addTo(map);
    }
    fetch(box.dataset.geojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (collection) {
        layer = window.L.geoJSON(collection, {
          onEachFeature: function (feature, polygon) {
            byCode[feature.properties.code] = polygon;
            polygon.on("click", function () {
              var area = figures().areas[feature.properties.code];
              if (area && area.link && /^\/(?![\/\\])/.test(area.link)) { window.location.assign(area.link); }
            });
          }
        }).addTo(map);
        if (collection.features && collection.features.length) { map.fitBounds(layer.getBounds()); }
        box.setAttribute("data-polygons", String(collection.features ? collection.features.length : 0));
        restyle();
      });
  }

  document.addEventListener("change", function (e) {
    if (e.target && e.target.name === "room-measure") { restyle(); }
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    if (e.target && e.target.id === "room-map-data") { restyle(); }
  });
  /* A custom period needs its dates; other presets hide them. */
  function dates() {
    var preset = document.getElementById("id_periode");
    if (!preset) { return; }
    var custom = preset.value === "custom";
    Array.prototype.forEach.call(document.querySelectorAll(".room-filters__date"), function (el) {
      el.hidden = !custom;
    });
  }
  document.addEventListener("change", function (e) { if (e.target && e.target.id === "id_periode") { dates(); } });

  function init() { dates(); start(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
