// The service form (R10.1): show only the chosen mode's fieldset, the electronic channel's
// own fields, and what "time" means for that mode. Without this script every fieldset
// shows and the server reads the chosen mode's.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var form = document.querySelector("[data-service-form]");
    if (!form) return;
    var modeSelect = form.querySelector("[data-service-mode]");
    var channelSelect = form.querySelector("[data-service-channel]");
    var sections = form.querySelectorAll("[data-mode-section]");
    var timeInput = form.querySelector("input[name=served_at]");
    var timeLabel = timeInput ? form.querySelector("label[for='" + timeInput.id + "']") : null;
    var defaultTime = timeLabel ? timeLabel.textContent : "";
    var labelsNode = document.getElementById("channel-time-labels");
    var channelTimes = labelsNode ? JSON.parse(labelsNode.textContent) : {};

    function update() {
      var mode = modeSelect.value;
      var channel = channelSelect ? channelSelect.value : "";
      var label = defaultTime;
      sections.forEach(function (section) {
        var active = section.getAttribute("data-mode-section") === mode;
        section.hidden = !active;
        section.querySelectorAll("[data-time-hint]").forEach(function (hint) {
          hint.hidden = true;
        });
        if (active) label = section.getAttribute("data-time-label") || defaultTime;
      });
      if (mode === "electronic" && channelTimes[channel]) label = channelTimes[channel];
      form.querySelectorAll("[data-channels]").forEach(function (input) {
        var wrapper = input.closest("[data-field]") || input;
        var wanted = input.getAttribute("data-channels").split(" ");
        wrapper.hidden = wanted.indexOf(channel) === -1;
      });
      if (timeLabel) timeLabel.textContent = label;
    }

    modeSelect.addEventListener("change", update);
    if (channelSelect) channelSelect.addEventListener("change", update);
    update();
  });
})();
