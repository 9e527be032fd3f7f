/* A new article's, topic's or tag's address (its slug) follows its title or name as typed
   (Django's prepopulate.js), but only from a box empty as the page loads: on a form sent back
   with an error, a title corrected there ("Numb toes in wintr" to "winter") left the old
   address, saved as the page's permanent one. Here, on an add form whose address is still
   the one made from the title, the address keeps following, until it is edited by hand. */
(function () {
  "use strict";
  var constants = document.getElementById("django-admin-prepopulated-fields-constants");
  if (!constants || !window.URLify || !/\/add\/$/.test(window.location.pathname)) return;
  JSON.parse(constants.dataset.prepopulatedFields).forEach(function (field) {
    var box = document.querySelector(field.id);
    var sources = field.dependency_ids.map(function (id) { return document.querySelector(id); });
    if (!box || !box.value || sources.indexOf(null) >= 0) return; // empty: Django's follows
    var made = function () {
      var values = sources.map(function (source) { return source.value; }).filter(Boolean);
      return window.URLify(values.join(" "), field.maxLength, field.allowUnicode);
    };
    var last = box.value;
    if (last !== made()) return; // written by hand before the save
    var follow = function () {
      if (box.value !== last) return; // edited by hand since
      box.value = last = made();
    };
    sources.forEach(function (source) {
      source.addEventListener("input", follow);
      source.addEventListener("change", follow);
    });
  });
})();
