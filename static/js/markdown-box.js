// markdownx's text boxes (a call-to-action's text, a page's): Tab moves to the next field, as
// in every other box, instead of indenting; with Shift+Tab also taken, a keyboard could not
// leave the box (WCAG 2.1.2). Ctrl+] and Ctrl+[ still indent and unindent.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.matches && event.target.matches("textarea.markdownx-editor")) {
      event.stopPropagation(); // before markdownx's own listener on the box; focus moves on
    }
  }, true);
})();
