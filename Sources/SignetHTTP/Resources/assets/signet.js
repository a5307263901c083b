// Signet's pages work without this script. It only keeps a second tap on "Sign" from
// sending the form again while the first is under way (the server refuses a second
// signature either way).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("sign-form");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var button = document.getElementById("sign");
    if (button) { button.textContent = button.dataset.busy || button.textContent; button.setAttribute("aria-busy", "true"); }
  });
});
