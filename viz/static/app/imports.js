/* The import page's upload form: a file over the size limit is refused here, before it is
   sent (the server refuses it too, with 413, as it streams); while a file uploads, the
   button waits. */
(function () {
  "use strict";
  const Z = window.zonegraph;
  document.querySelectorAll("form.upload").forEach((form) => {
    const input = form.querySelector("input[type=file]");
    const error = form.querySelector(".error-box");
    const status = form.querySelector("[aria-live]");
    const button = form.querySelector("button[type=submit]");
    const max = Number(form.dataset.maxBytes);

    function say(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    function fits() {
      const file = input.files && input.files[0];
      if (file && max && file.size > max) {
        const size = (file.size / 1048576).toFixed(1);
        say(Z.t("imp.too_large", { mb: form.dataset.maxMb }) + " " + Z.t("imp.file_size", { size: size }));
        return false;
      }
      say("");
      return true;
    }

    input.addEventListener("change", fits);
    form.addEventListener("submit", (event) => {
      if (!fits()) {
        event.preventDefault();
        return;
      }
      status.textContent = Z.t("imp.uploading");
      button.disabled = true;
    });
    // Back from the next page (the browser's cache keeps this one as it was left).
    window.addEventListener("pageshow", () => {
      button.disabled = false;
      status.textContent = "";
    });
  });
})();
