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
