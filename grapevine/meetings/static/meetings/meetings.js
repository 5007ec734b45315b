// Meetings: the drill's live word count and spoken time (R6), and the print button.
(function () {
  "use strict";
  function countWords(text) {
    var words = text.trim().split(/\s+/);
    return words[0] === "" ? 0 : words.length;
  }
  var area = document.querySelector("textarea[data-drill]");
  var meter = document.getElementById("drill-meter");
  if (area && meter) {
    var wpm = Number(meter.dataset.wpm) || 130;
    var limit = Number(meter.dataset.limit) || 120;
    var update = function () {
      var n = countWords(area.value);
      var seconds = Math.round((n * 60) / wpm);
      document.getElementById("drill-words").textContent = String(n);
      document.getElementById("drill-time").textContent = String(seconds);
      document.getElementById("drill-warning").hidden = (n * 60) / wpm <= limit;
    };
    area.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
