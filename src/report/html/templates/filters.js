// The filters: failed only, by tag, by source. Without this script the form
// stays hidden and the page shows everything.
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;
  var scenarios = document.querySelectorAll(".scenario");
  function apply() {
    var failed = form.elements.failed && form.elements.failed.checked;
    var tag = form.elements.tag.value, source = form.elements.source.value, shown = 0;
    scenarios.forEach(function (s) {
      var show = (!failed || s.dataset.status === "failed") &&
        (!tag || s.dataset.tags.split(" ").indexOf(tag) >= 0) &&
        (!source || s.dataset.sources.split("|").indexOf(source) >= 0);
      s.hidden = !show;
      if (show) shown++;
    });
    document.querySelectorAll(".feature, .folder").forEach(function (f) {
      f.hidden = !f.querySelector(".scenario:not([hidden])");
    });
    form.elements.shown.value = shown + " of " + scenarios.length + " scenarios shown";
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
