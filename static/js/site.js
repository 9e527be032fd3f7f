// Every page: "Scroll to Top" only where there is somewhere to scroll back from.
(function () {
  "use strict";
  var link = document.querySelector(".scroll-top-wrap");
  if (!link) return;
  function update() {
    link.hidden = document.documentElement.scrollHeight <= window.innerHeight * 1.2;
  }
  update();
  window.addEventListener("resize", update);
  window.addEventListener("load", update);
})();

// An article's headings link to themselves, so a mouse or a finger can copy a section's
// address; Tab passes them by (a dozen stops on the seed that lead where the reader already
// is; GOV.UK and NHS.UK have none). The contents list ("On this page") links to each
// section, and is the keyboard's way to copy one.
(function () {
  "use strict";
  document.querySelectorAll(":is(h2, h3)[id] > a.toclink").forEach(function (link) {
    if (link.getAttribute("href") === "#" + link.parentNode.id) link.tabIndex = -1;
  });
})();
