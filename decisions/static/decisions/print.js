// A "Print" button for the summary; without JavaScript the browser's own Print still works.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.classList.remove("d-none");
  button.addEventListener("click", () => window.print());
});
