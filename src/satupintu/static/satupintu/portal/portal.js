/* satupintu citizen portal: small enhancements; every page works without them. */
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  /* ------------------------------------------------------------ category filter */
  function categoryFilter() {
    var box = $("[data-category-filter]");
    var select = $("#id_category");
    if (!box || !select) { return; }
    box.hidden = false;
    var input = $("input", box);
    // A copy of the original groups: filtering rebuilds the list (hiding <option>s is not
    // honoured by every mobile browser).
    var groups = $all("optgroup", select).map(function (group) {
      return { label: group.label, options: $all("option", group).map(function (o) { return { value: o.value, text: o.text }; }) };
    });
    var empty = select.options[0] && select.options[0].value === "" ? { value: "", text: select.options[0].text } : null;
    input.addEventListener("input", function () {
      var needle = input.value.trim().toLowerCase();
      var current = select.value;
      select.textContent = "";
      if (empty) { select.appendChild(new Option(empty.text, empty.value)); }
      groups.forEach(function (group) {
        var matching = group.options.filter(function (o) {
          return !needle || o.text.toLowerCase().indexOf(needle) !== -1 || group.label.toLowerCase().indexOf(needle) !== -1;
        });
        if (!matching.length) { return; }
        var element = document.createElement("optgroup");
        element.label = group.label;
        matching.forEach(function (o) { element.appendChild(new Option(o.text, o.value, false, o.value === current)); });
        select.appendChild(element);
      });
      if (needle && select.options.length === 2) { select.selectedIndex = 1; }
      // A choice made (or dropped) by the filter is a choice: its questions load (htmx).
      if (select.value !== current) { select.dispatchEvent(new Event("change", { bubbles: true })); }
    });
  }

  function tiles(map, element) {
    window.L.tileLayer(element.getAttribute("data-tiles"), {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap"
    }).addTo(map);
  }

  function centre(element) {
    var parts = (element.getAttribute("data-centre") || "-2.5,118,4").split(",").map(Number);
    return { lat: parts[0], lon: parts[1], zoom: parts[2] || 12 };
  }

  /* ------------------------------------------------------------ location picker */
  function mapPicker() {
    var box = $("[data-map-picker]");
    var lat = $("#id_latitude");
    var lon = $("#id_longitude");
    if (!box || !lat || !lon || !window.L) { return; }
    box.hidden = false;
    var element = $("#pick-map");
    var texts = $("[data-pin-texts]").dataset;
    var status = $("[data-pin-status]");
    var start = centre(element);
    var map = window.L.map(element).setView([start.lat, start.lon], start.zoom);
    tiles(map, element);
    var marker = null;

    function place(latitude, longitude, zoom) {
      var point = [latitude, longitude];
      if (marker) { marker.setLatLng(point); } else { marker = window.L.marker(point).addTo(map); }
      lat.value = Number(latitude).toFixed(6);
      lon.value = Number(longitude).toFixed(6);
      if (zoom) { map.setView(point, zoom); }
      status.textContent = texts.set;
    }
    function clear() {
      if (marker) { map.removeLayer(marker); marker = null; }
      lat.value = ""; lon.value = "";
      status.textContent = texts.none;
    }
    if (lat.value && lon.value && !isNaN(Number(lat.value)) && !isNaN(Number(lon.value))) {
      place(Number(lat.value), Number(lon.value), 16);
    } else {
      status.textContent = texts.none;
    }
    map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng); });
    $("[data-clear-pin]").addEventListener("click", clear);
    var locate = $("[data-locate]");
    if (!navigator.geolocation) { locate.hidden = true; return; }
    locate.addEventListener("click", function () {
      status.textContent = texts.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) { place(position.coords.latitude, position.coords.longitude, 17); },
        function () { status.textContent = texts.failed; },
        { enableHighAccuracy: true, timeout: 10000 }
      );
    });
  }

  /* ------------------------------------------------------------ maps of reports */
  function popup(point, detailUrl) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = detailUrl.replace("__NUMBER__", encodeURIComponent(point.number));
    link.textContent = point.title;
    var meta = document.createElement("div");
    meta.className = "muted";
    meta.textContent = point.tracking + " · " + point.status;
    box.appendChild(link);
    box.appendChild(meta);
    return box;
  }

  function reportMaps() {
    if (!window.L) { return; }
    $all("[data-report-map]").forEach(function (element) {
      var data = $("#" + element.getAttribute("data-points"));
      var points = data ? JSON.parse(data.textContent) : [];
      if (!points.length) { return; }
      element.hidden = false;
      var start = centre(element);
      var map = window.L.map(element).setView([start.lat, start.lon], start.zoom);
      tiles(map, element);
      var detailUrl = element.getAttribute("data-detail-url") || "";
      var bounds = [];
      points.forEach(function (point) {
        var marker = window.L.marker([point.lat, point.lon]).addTo(map);
        if (detailUrl) { marker.bindPopup(popup(point, detailUrl)); }
        bounds.push([point.lat, point.lon]);
      });
      if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 }); }
      else { map.setView(bounds[0], 16); }
    });
  }

  /* ------------------------------------------------------------ copy buttons */
  function copyButtons() {
    $all("[data-copy]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!target) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = target.value || target.textContent;
        function done() { if (status) { status.textContent = button.getAttribute("data-copied"); } }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { target.select(); });
        } else {
          target.focus();
          target.select();
          try { if (document.execCommand("copy")) { done(); } } catch (e) { /* selected: copy by hand */ }
        }
      });
    });
  }

  function init() {
    categoryFilter();
    mapPicker();
    reportMaps();
    copyButtons();
    var errors = $("#form-errors");
    if (errors) { errors.focus(); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
