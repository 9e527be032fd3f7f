// A form sent back with an error (Articles' people, topics, tags, pages, settings): the caret
// goes to the first field to correct, as in the article's editor, not to the form's first
// field, where Django's add form puts it and the next words typed would go. After "load":
// Django focuses that first field from an async script.
"use strict";
window.addEventListener("load", function () {
  var form = document.querySelector("#content-main form");
  if (!form) return;
  var invalid = Array.prototype.find.call(form.querySelectorAll('[aria-invalid="true"]'), function (field) {
    return field.offsetParent !== null && !field.disabled;
  });
  // Else a link to one field (the home page's "Set the site's contact email" leads to
  // #id_contact_email): the caret there, not in the form's first field.
  var named = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  var target = invalid || (named && form.contains(named) && named.matches("input, textarea, select") ? named : null);
  if (target) target.focus();
  // A page's content refused for an image or link: at the first one named (admin-caret.js).
  if (invalid && window.nervepainCaret) window.nervepainCaret.atNamed(invalid);
});
