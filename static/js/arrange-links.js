/* Pages, "Header and footer links": "Move up" and "Move down" on each link, renumbering the
   positions (10, 20, 30...) in the order the rows now stand. Without script, the positions are
   typed. Nothing is saved until "Save". */
(function () {
  "use strict";
  var status = document.querySelector(".arrange-status");

  document.querySelectorAll("table[data-arrange]").forEach(function (table) {
    var rows = function () { return Array.from(table.querySelectorAll("tr[data-link]")); };
    if (rows().length < 2) return;
    var heading = document.createElement("th");
    heading.scope = "col";
    heading.textContent = "Move";
    table.querySelector("thead tr").append(heading);
    table.querySelectorAll("tbody tr:not([data-link])").forEach(function (row) {
      row.append(document.createElement("td"));
    });
    rows().forEach(function (row) {
      var cell = document.createElement("td");
      cell.className = "arrange-move";
      ["up", "down"].forEach(function (way) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.dataset.move = way;
        button.textContent = way === "up" ? "\u2191" : "\u2193";
        cell.append(button);
      });
      row.append(cell);
      nameButtons(row);
    });
    update(table, false);
    table.addEventListener("input", function (event) {
      if (event.target.type === "text") nameButtons(event.target.closest("tr"));
    });

    table.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (!button) return;
      var row = button.closest("tr");
      var list = rows();
      var index = list.indexOf(row);
      var up = button.dataset.move === "up";
      var other = list[index + (up ? -1 : 1)];
      if (!other) return;
      if (up) other.before(row); else other.after(row);
      var positions = update(table, true);
      var still = row.querySelector('button[data-move="' + (up ? "up" : "down") + '"]');
      (still.disabled ? row.querySelector("button[data-move]:not([disabled])") : still).focus();
      status.textContent = linkText(row) + ": position " + positions.get(row) + ", " +
        (rows().indexOf(row) + 1) + " of " + list.length + ". Save to keep it.";
    });
  });

  function linkText(row) {
    return row.querySelector('input[type="text"]').value || "this link";
  }

  /* "Move up: About", by the link's text as it now reads. */
  function nameButtons(row) {
    row.querySelectorAll("button[data-move]").forEach(function (button) {
      var way = button.dataset.move === "up" ? "Move up: " : "Move down: ";
      button.setAttribute("aria-label", way + linkText(row));
    });
  }

  /* With ``renumber`` (a row moved), positions 10, 20, 30... in the rows' order; the first
     row cannot go up, the last down. Returns each row's position. */
  function update(table, renumber) {
    var positions = new Map();
    var list = Array.from(table.querySelectorAll("tr[data-link]"));
    list.forEach(function (row, index) {
      var position = row.querySelector('input[name$="-position"]');
      if (renumber) position.value = String((index + 1) * 10);
      positions.set(row, position.value);
      row.querySelector('button[data-move="up"]').disabled = index === 0;
      row.querySelector('button[data-move="down"]').disabled = index === list.length - 1;
    });
    return positions;
  }
})();
