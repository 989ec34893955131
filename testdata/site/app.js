// webstatic demo site: proves that scripts are served with the right type.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("status");
  status.textContent = "The script ran: JavaScript was served and executed.";
  status.className = "ran";
});
