// The statistics dashboard (R22.1): draws each chart from the data of its table, with
// ECharts' Chinese locale; the table below each chart stays the accessible version.
(function () {
  "use strict";
  function draw(chart) {
    var element = document.getElementById("chart-" + chart.key);
    if (!element || !window.echarts) { return; }
    var instance = window.echarts.init(element, null, { locale: "ZH", renderer: "canvas" });
    var option;
    if (chart.kind === "pie") {
      option = {
        tooltip: { trigger: "item" },
        legend: { bottom: 0, type: "scroll" },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          data: chart.labels.map(function (label, i) { return { name: label, value: chart.values[i] }; })
        }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 16, bottom: 56 },
        xAxis: { type: "category", data: chart.labels, axisLabel: { interval: 0, rotate: chart.labels.length > 4 ? 30 : 0 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: chart.kind, data: chart.values, name: chart.title }]
      };
    }
    option.aria = { enabled: true };
    option.animation = false;
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
  }
  function start() {
    var source = document.getElementById("statistics-charts");
    if (!source) { return; }
    JSON.parse(source.textContent).forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
