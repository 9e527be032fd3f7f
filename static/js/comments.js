// A comment box's count (NHS.UK's character count): the box has no maxlength, which would cut
// a longer pasted text short without a word; this says how many characters are left, or how
// many too many, and the server refuses a longer text with the text kept.
(function () {
  "use strict";
  var NEAR = 0.2; // say how many are left from the last fifth of the limit
  var timers = new WeakMap();
  // Numbers as the server writes them ("3,149", as the hint's "up to 3,000"): the page's locale.
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function count(box) {
    var hint = document.getElementById(box.id + "_count");
    if (!hint) return;
    var limit = Number(box.dataset.maxlength);
    // Characters, as the server counts them: without the spaces around the text.
    var left = limit - Array.from(box.value.trim()).length;
    var message = hint.dataset.hint;
    if (left < 0) {
      message = "You have " + numbers.format(-left) + (left === -1 ? " character" : " characters") + " too many.";
    } else if (left <= limit * NEAR) {
      message = "You have " + numbers.format(left) + (left === 1 ? " character" : " characters") + " left.";
    }
    hint.classList.toggle("error", left < 0);
    if (hint.textContent !== message) hint.textContent = message; // read out: aria-live
  }

  // Typing in any comment box, the ones opened in place later included; after a pause, so a
  // screen reader is not told each keystroke.
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("textarea[data-maxlength]")) return;
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(function () { count(box); }, 300));
  });
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-maxlength]"), count);
})();

// Landing on a comment's #c link (a reply email, the page after posting): the comment at the top
// of the screen at once. The browser's own jump takes the page's smooth scrolling (meant for
// Scroll to Top and in-page links) and ran from the top through the whole article and the
// comments above, 16,000-21,000 px with 60 comments above, for about two seconds: half a second
// after the load the comment was still 1,700-2,600 px down. It ends in the right place (the
// browser lays the discussion out for the jump, content-visibility or not): without script
// the browser's own jump still lands there, only slowly. Not once the reader has
// scrolled or pressed a key before the load (an image still coming): they are left where they
// read. (On a reload the browser puts the reader back where they were, after this.)
(function () {
  "use strict";
  var item = /^#c\d+$/.test(window.location.hash) && document.getElementById(window.location.hash.slice(1));
  if (!item) return;
  var moved = false;
  function reader() { moved = true; }
  ["wheel", "touchstart", "keydown"].forEach(function (type) {
    window.addEventListener(type, reader, { once: true, passive: true });
  });
  window.addEventListener("load", function () {
    if (!moved) item.scrollIntoView({ block: "start", behavior: "instant" });
  });
})();

// Landing on one's own comment that matched a crisis phrase (the page after posting): the
// crisis resources take the focus, so a screen reader reads them first; an alert on a new page
// is not reliably read, and a phone's screen reader does not always follow the #c link. Else
// the comment itself, when this browser wrote it (its Edit link, or "We've sent a link to ...:
// open it" for reply emails from an unconfirmed address): a screen reader reads it with
// "awaiting moderation" and the note, where the focus stayed at the top of the page and the
// "awaiting" status, there from the load, was never announced (nor was it when the note below
// it had the focus).
(function () {
  "use strict";
  var item = /^#c\d+$/.test(window.location.hash) && document.getElementById(window.location.hash.slice(1));
  var resources = item && (
    item.querySelector(":scope > .crisis") ||
    (item.querySelector(":scope > .own-controls, :scope > .confirm-email") && item)
  );
  if (!resources) return;
  resources.tabIndex = -1;
  // After the load: the browser's own jump to the #c link, then, moves the focus to the page.
  window.addEventListener("load", function () {
    resources.focus({ preventScroll: true }); // the jump brought the comment into view
  });
})();

// The edit window in the reader's own time: the page says "for the next 14 minutes (until 16:15
// UTC)", and by the Save button "You can save it until 16:15 UTC", true for everyone; this says
// "until 11:15 AM EST" where the reader is, counts the minutes down and says when the time is
// over (a save after it is refused, its text given back).
(function () {
  "use strict";
  var clock = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", timeZoneName: "short" });
  var timer = null;

  function describe(span) {
    var deadline = new Date(Number(span.dataset.deadline) * 1000);
    var left = Math.floor((deadline.getTime() - Date.now()) / 60000);
    var time = document.createElement("time");
    time.dateTime = deadline.toISOString();
    time.textContent = clock.format(deadline);
    var before, after = ").";
    var over = deadline.getTime() <= Date.now();
    // What an edit would do is no longer the reader's to weigh once no edit can be saved.
    var relink = span.parentNode.querySelector(".edit-relink");
    if (relink) relink.hidden = over;
    if (over) {
      before = "The time to edit it is over (it ended at ";
    } else if (left < 1) {
      before = "You can edit it for less than a minute (until ";
    } else {
      before = "You can edit it for the next " + left + (left === 1 ? " minute" : " minutes") + " (until ";
    }
    if (span.textContent === before + time.textContent + after) return;
    span.replaceChildren(before, time, after);
  }

  // "You can save it until 16:15 UTC" by the Save button: the same time, where the reader is.
  // Once it has passed, the button can save nothing (the save is refused): it is switched off,
  // and the line says so, the text left in the box to copy.
  function localise(span) {
    var deadline = new Date(Number(span.dataset.deadline) * 1000);
    var save = span.parentNode.querySelector("button[type=submit]");
    if (deadline.getTime() <= Date.now()) {
      var over = "The time to edit it is over, so it cannot be saved: copy your text if you want to keep it.";
      if (span.textContent !== over) span.textContent = over;
      if (save) save.disabled = true;
      return;
    }
    if (save) save.disabled = false;
    var time = span.querySelector("time");
    var text = clock.format(deadline);
    if (time && time.textContent !== text) time.textContent = text;
  }

  function update() {
    var untils = document.querySelectorAll(".edit-until[data-deadline]");
    Array.prototype.forEach.call(untils, localise);
    var spans = document.querySelectorAll(".edit-window[data-deadline]");
    Array.prototype.forEach.call(spans, describe);
    var counting = spans.length + untils.length > 0;
    if (!counting && timer) { clearInterval(timer); timer = null; }
    if (counting && !timer) timer = setInterval(update, 10000);
  }

  document.addEventListener("comments:form-shown", update); // an edit form opened in place
  update();
})();

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
  var noteStop = form.querySelector(".replying-to-stop");
  var cancel = form.querySelector(".cancel-reply");
  var text = form.querySelector("textarea[name=comment]");

  var opener = null; // the Reply link that moved the form: focus goes back to it on cancel

  // The first field still to fill: the name and email when this browser does not remember
  // them, else the comment (WordPress's comment-reply.js likewise focuses the first field).
  function firstEmptyField() {
    var fields = form.querySelectorAll("input[type=text], input[type=email], textarea");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].required && !fields[i].value.trim()) return fields[i];
    }
    return text;
  }

  // Under the comment's own links (Reply, Report), above its replies; the top of the form,
  // with "Replying to", in view.
  function moveUnder(item, id, author, link) {
    item.insertBefore(respond, item.querySelector(":scope > ol.children"));
    replyTo.value = id;
    noteLink.textContent = author;
    noteStop.textContent = /\.$/.test(author) ? "" : "."; // "Replying to Tom K.", not "Tom K.."
    noteLink.setAttribute("href", "#c" + id);
    note.hidden = false;
    opener = link;
    firstEmptyField().focus({ preventScroll: true });
    respond.scrollIntoView({ block: "start" });
  }

  // Back to a new comment: the form returns under the discussion if it moved (on the page of
  // a refused reply it stays where it is).
  function restore() {
    if (respond.parentNode !== home) home.insertBefore(respond, homeNext);
    replyTo.value = "";
    note.hidden = true;
  }

  cancel.hidden = false; // hidden on the page of a refused reply until script can cancel there

  // A page from a front cache comes without its form token cookie: fetch one the first time
  // the reader turns to the form (the server refuses a post without one, keeping the text).
  form.addEventListener("focusin", function () {
    fetch(form.dataset.tokenUrl, { credentials: "same-origin", cache: "no-store" });
  }, { once: true });

  // Edit in place: the edit page's own form is fetched and shown under the comment; saving
  // posts it as the page would. Without JavaScript the Edit link opens that page.
  function editInPlace(link) {
    var item = link.closest("li");
    var shown = item.querySelector(":scope > .comment-text");
    var controls = link.closest(".own-controls");
    // Its Reply link too: under the edit form it read as a way to send the edit.
    var others = item.querySelectorAll(":scope > a.reply-link");
    function showOthers(shown) {
      Array.prototype.forEach.call(others, function (other) { other.hidden = !shown; });
    }
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var form = new DOMParser().parseFromString(html, "text/html").querySelector("form.edit-form");
        if (!form) { window.location.href = link.href; return; }
        form = document.importNode(form, true);
        shown.hidden = true;
        controls.hidden = true;
        showOthers(false);
        shown.after(form);
        document.dispatchEvent(new Event("comments:form-shown"));
        form.querySelector(".cancel-edit").addEventListener("click", function (event) {
          event.preventDefault();
          form.remove();
          shown.hidden = false;
          controls.hidden = false;
          showOthers(true);
          link.focus();
        });
        form.querySelector("textarea").focus();
      })
      .catch(function () { window.location.href = link.href; });
  }

  document.addEventListener("click", function (event) {
    var edit = event.target.closest("a.edit-link");
    if (edit) {
      event.preventDefault();
      editInPlace(edit);
      return;
    }
    var link = event.target.closest("a.reply-link");
    if (link) {
      event.preventDefault();
      var id = new URLSearchParams(link.search).get("reply_to");
      moveUnder(document.getElementById("c" + id), id, document.getElementById("c" + id + "-a").textContent, link);
      return;
    }
    if (event.target === cancel) {
      event.preventDefault();
      restore();
      (opener && opener.isConnected ? opener : text).focus();
      opener = null;
    }
  });
})();
