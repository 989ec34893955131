// webstatic demo site: proves that the script and the stylesheet were
// served with the right types and applied.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("status");
  var accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim();
  status.textContent = "The script ran: JavaScript was served and executed. " +
    (accent ? "Stylesheet applied: " + accent + "." : "The stylesheet is missing.");
  status.className = "ran";
});
