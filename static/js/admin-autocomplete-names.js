// A search-as-you-type choice (Django's autocomplete: an article's Author, a person's user)
// named by its label, as every other box is: select2's box took its name from the chosen value
// alone, so an empty one had none and a screen reader said "combo box", not "Author". Django
// draws the box from an async script, so it may come after this one: watched for until then.
"use strict";
(function () {
  function name(select, label) {
    var box = select.parentElement.querySelector('.select2-selection[role="combobox"]');
    if (!box) return false;
    var value = box.querySelector('[role="textbox"]');
    if (value) value.setAttribute("aria-labelledby", label.id);
    var names = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
    if (names.indexOf(label.id) === -1) box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
    return true;
  }

  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) return;
    if (!label.id) label.id = select.id + "_label";
    if (name(select, label)) return;
    var watch = new MutationObserver(function () {
      if (name(select, label)) watch.disconnect();
    });
    watch.observe(select.parentElement, { childList: true, subtree: true });
  });
})();
