// The report page's print button (the CSP allows no inline handler).
"use strict";
(() => {
  const button = document.getElementById("report-print");
  if (button) button.addEventListener("click", () => window.print());
})();
