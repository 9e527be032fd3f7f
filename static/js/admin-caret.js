/* A text refused for what it shows or links to names each image or link after a colon ("…
   Without one: /media/a.jpg, /media/b.jpg."): the caret selects the one that comes first in
   the text, and the box scrolls to it, not left at the start of a long body. Used by the
   article editor and the other articles' forms (admin-form-errors.js). */
window.nervepainCaret = (function () {
  "use strict";

  // Where ``at`` is drawn in ``box``: a copy of its text up to there, laid out as the box lays
  // it out (width, font, wrapping), measured.
  function scrollTo(box, at) {
    var style = window.getComputedStyle(box);
    var copy = document.createElement("div");
    ["fontFamily", "fontSize", "fontWeight", "lineHeight", "letterSpacing", "paddingLeft",
      "paddingRight", "paddingTop", "tabSize", "wordSpacing"].forEach(function (name) {
      copy.style[name] = style[name];
    });
    copy.style.position = "absolute";
    copy.style.visibility = "hidden";
    copy.style.whiteSpace = "pre-wrap";
    copy.style.overflowWrap = "break-word";
    copy.style.boxSizing = "border-box";
    copy.style.width = box.clientWidth + "px";
    copy.textContent = box.value.slice(0, at);
    document.body.appendChild(copy);
    var top = copy.scrollHeight;
    copy.remove();
    if (box.scrollHeight > box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 2);
    } else {  // a box that grows with its text (a page's): the window scrolls instead
      window.scrollBy(0, box.getBoundingClientRect().top + top - window.innerHeight / 2);
    }
  }

  function atNamed(box) {
    if (!box || box.tagName !== "TEXTAREA") return;
    var row = box.closest(".form-row");
    var errors = row ? row.querySelectorAll(".errorlist li") : [];
    var first = null;
    Array.prototype.forEach.call(errors, function (error) {
      var said = error.textContent.trim().replace(/\.$/, "");
      said.slice(said.lastIndexOf(": ") + 2).split(", ").forEach(function (name) {
        var at = name ? where(box.value, name) : -1;
        if (at >= 0 && (first === null || at < first.at)) first = { at: at, name: name };
      });
    });
    if (first === null) return;
    var length = EMPTY.test(first.name) ? 0 : first.name.length;
    box.setSelectionRange(first.at, first.at + length);
    scrollTo(box, first.at);
  }

  // "an empty link", "an image with no address": the caret between the link's brackets.
  var EMPTY = /^an? (empty link|image with no address)$/;

  // Where a named address stands as a link's or an image's: "https://" named was found first
  // in a good link's "https://www.nhs.uk/", and "sciatica" in the words before
  // "[our guide](sciatica)". The text as a whole only when it is in no link.
  function where(value, name) {
    var as = EMPTY.test(name) ? [["]()", 2]] :
      [["](" + name + ")", 2], ["](" + name + " ", 2], ["](<" + name + ">)", 3], ["]: " + name, 3]];
    for (var i = 0; i < as.length; i++) {
      var at = value.indexOf(as[i][0]);
      if (at >= 0) return at + as[i][1];
    }
    return EMPTY.test(name) ? -1 : value.indexOf(name);
  }

  return { atNamed: atNamed };
})();
