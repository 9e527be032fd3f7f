// Progressive enhancement for "Leave a Reply": a Reply link moves the form under the comment.
// Without JavaScript the link reloads the page with ?reply_to=ID, which does the same.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  if (!respond) return;
  var form = respond.querySelector("form.comment-form");
  if (!form) return;
  var home = respond.parentNode;
  var homeNext = respond.nextSibling;
  var replyTo = form.querySelector("input[name=reply_to]");
  var note = form.querySelector(".replying-to");
  var noteLink = form.querySelector(".replying-to-link");
  var cancel = form.querySelector(".cancel-reply");
  var text = form.querySelector("textarea[name=comment]");

  function moveUnder(item, id, author) {
    (item.querySelector(":scope > .reply-link") || item.querySelector(":scope > .comment-text")).after(respond);
    replyTo.value = id;
    noteLink.textContent = author;
    noteLink.setAttribute("href", "#c" + id);
    note.hidden = false;
    text.focus();
  }

  function restore() {
    home.insertBefore(respond, homeNext);
    replyTo.value = "";
    note.hidden = true;
  }

  // A page from a front cache comes without its form token cookie: fetch one the first time
  // the reader turns to the form (the server refuses a post without one, keeping the text).
  form.addEventListener("focusin", function () {
    fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" });
  }, { once: true });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.reply-link");
    if (link) {
      event.preventDefault();
      var id = new URLSearchParams(link.search).get("reply_to");
      moveUnder(document.getElementById("c" + id), id, document.getElementById("c" + id + "-a").textContent);
      return;
    }
    if (event.target === cancel && respond.parentNode !== home) {
      event.preventDefault();
      restore();
      cancel.focus();
    }
  });
})();
