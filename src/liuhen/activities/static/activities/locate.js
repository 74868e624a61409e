// Fill latitude and longitude from the tablet's position when the officer asks (R4.4 place).
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        document.getElementById("id_gps_lat").value = position.coords.latitude.toFixed(6);
        document.getElementById("id_gps_lon").value = position.coords.longitude.toFixed(6);
        button.disabled = false;
      },
      function () { button.disabled = false; },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });
})();
