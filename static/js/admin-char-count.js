/* A count under an admin box with a limit (`data-maxlength`): the article's summary, the note
   from the site published under a comment. As the comment boxes count (comments.js): the box
   has no maxlength, which cut a pasted text short without a word; the count says how many
   characters are left, or how many too many, and the server refuses a longer text with the
   text kept. The count on screen follows each key; a screen reader is told it once the typing
   pauses, not at each key. A script that fills a box in (a restored draft) sends it an
   "input" event, and the count follows. */
(function () {
  "use strict";
  var PAUSE_MS = 1000;

  function counted(box) {
    var limit = Number(box.dataset.maxlength);
    var shown = document.createElement("div"); // a help div lines up on a phone; a p did not
    shown.className = "help char-count";
    shown.id = box.id + "_count";
    shown.setAttribute("aria-hidden", "true"); // read out by the one below, after a pause
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    var row = box.closest(".flex-container") || box;
    row.parentNode.insertBefore(spoken, row.nextSibling);
    row.parentNode.insertBefore(shown, row.nextSibling);
    var timer = null;
    var count = function () {
      // Characters, as the server counts them: without the spaces around the text.
      var left = limit - Array.from(box.value.trim()).length;
      shown.textContent = left < 0
        ? "You have " + -left + (left === -1 ? " character" : " characters") + " too many."
        : "You have " + left + (left === 1 ? " character" : " characters") + " left.";
      shown.classList.toggle("error", left < 0);
      return shown.textContent;
    };
    count();
    box.addEventListener("input", function () {
      var message = count();
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (spoken.textContent !== message) spoken.textContent = message;
      }, PAUSE_MS);
    });
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("#content form input[data-maxlength], #content form textarea[data-maxlength]"),
    counted
  );
})();
