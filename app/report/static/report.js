// sdlab report: draw every Vega-Lite chart of the page and wire the private-parts toggle.
// Runs from file:// with no network: vegaEmbed comes from assets/vega-bundle.js.
(function () {
  "use strict";
  function drawCharts() {
    document.querySelectorAll("script.vl-spec").forEach(function (node) {
      var target = document.getElementById(node.dataset.for);
      if (!target) return;
      var spec = JSON.parse(node.textContent);
      // No action menu: its links lead to online editors.
      window.vegaEmbed(target, spec, { actions: false, renderer: "svg" }).catch(function (err) {
        console.error("chart " + node.dataset.for + ": " + err);
      });
    });
  }
  function wireToggle() {
    var box = document.getElementById("show-private");
    if (!box) return;
    var apply = function () { document.body.classList.toggle("show-private", box.checked); };
    box.addEventListener("change", apply);
    apply();
  }
  document.addEventListener("DOMContentLoaded", function () {
    wireToggle();
    drawCharts();
  });
})();
