// Measures, in the browser, the contrast of every status glyph of a rehearsal report
// against its cell (WCAG 2 contrast ratio), on screen and again with the report's print
// rules applied, and writes the lowest ratio of each status class into the page, in a
// pre element with the id "contrast", one line each ("screen x 6.31", "print x 6.31"),
// for `inspect.py contrast` to read from the dumped DOM. The browser test injects it into
// a copy of a report: the report itself holds no script.
(function () {
  function channels(text) {
    var m = text.match(/rgba?\(([^)]*)\)/);
    if (!m) return null;
    var parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1 };
  }
  function luminance(rgb) {
    var l = rgb.map(function (c) {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  }
  function ratio(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  // The colours behind an element: each colour of a gradient, its background colour, or
  // its parent's, up to the white page.
  function backgrounds(element) {
    for (var e = element; e; e = e.parentElement) {
      var style = getComputedStyle(e);
      var found = (style.backgroundImage.match(/rgba?\([^)]*\)/g) || []).map(channels);
      if (found.length) return found.map(function (c) { return c.rgb; });
      var colour = channels(style.backgroundColor);
      if (colour && colour.alpha > 0) return [colour.rgb];
    }
    return [[255, 255, 255]];
  }
  var lines = [];
  function measure(medium) {
    var lowest = {};
    document.querySelectorAll("td, .legend .cell").forEach(function (cell) {
      var status = ["o", "a", "c", "s", "n", "x"].filter(function (c) { return cell.classList.contains(c); })[0];
      if (!status) return;
      var ink = channels(getComputedStyle(cell).color).rgb;
      backgrounds(cell).forEach(function (back) {
        var r = ratio(ink, back);
        if (!(status in lowest) || r < lowest[status]) lowest[status] = r;
      });
    });
    Object.keys(lowest).sort().forEach(function (status) {
      lines.push(medium + " " + status + " " + lowest[status].toFixed(2));
    });
  }
  measure("screen");
  // Printing: the rules of every @media print block, applied as if the page were printed.
  var printed = "";
  Array.prototype.forEach.call(document.styleSheets, function (sheet) {
    Array.prototype.forEach.call(sheet.cssRules, function (rule) {
      if (rule.media && /print/.test(rule.media.mediaText)) {
        Array.prototype.forEach.call(rule.cssRules, function (inner) { printed += inner.cssText + "\n"; });
      }
    });
  });
  var style = document.createElement("style");
  style.textContent = printed;
  document.head.appendChild(style);
  measure("print");
  var out = document.createElement("pre");
  out.id = "contrast";
  out.textContent = lines.join("\n");
  document.body.appendChild(out);
})();
