// Every route of the app is served index.html; the script reads the path.
"use strict";
document.getElementById("route").textContent = "route: " + location.pathname;
fetch("/api/hello").then(function (r) { return r.json(); }).then(function (j) {
  document.getElementById("api").textContent = "api: " + j.message;
});
