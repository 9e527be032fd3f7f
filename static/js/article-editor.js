/* The article editor (admin add/change pages): the Markdown text beside a preview drawn by
   the public page's own templates, updated as the editor types and scrolled with the text.
   Reads its addresses from #article-editor-config; nothing inline, so the CSP stays 'self'. */
(function () {
  "use strict";

  var config = document.getElementById("article-editor-config");
  var root = document.querySelector("[data-article-editor]");
  if (!config || !root) return;
  var form = root.closest("form");
  var text = root.querySelector("textarea");
  var panes = root.querySelector(".editor-panes");
  var previewPane = root.querySelector(".editor-preview");
  var frame = root.querySelector(".editor-preview-frame");
  var stats = root.querySelector(".editor-stats");
  var DEBOUNCE_MS = 400;

  function formData() {
    var data = new FormData(form);
    // Files (the featured image) are not needed to draw the text and would be sent each time.
    var files = [];
    data.forEach(function (value, name) { if (value instanceof File) files.push(name); });
    files.forEach(function (name) { data.delete(name); });
    data.set("object_id", config.dataset.objectId || "");
    return data;
  }

  /* --- Preview ---------------------------------------------------------------------- */
  var timer = null;
  var sequence = 0;

  function frameMain() {
    var doc = frame.contentDocument;
    return doc && doc.getElementById("content");
  }

  function refresh() {
    var mine = ++sequence;
    fetch(config.dataset.previewUrl, {
      method: "POST",
      body: formData(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      if (!response.ok) throw new Error("preview " + response.status);
      return response.json();
    }).then(function (data) {
      if (mine !== sequence) return; // a newer preview is on its way
      var main = frameMain();
      if (main) {
        // The server rendered it with the public page's sanitiser and templates.
        main.innerHTML = data.html;
        syncScroll();
      }
      stats.querySelector('[data-stat="words"]').textContent = data.words + " words";
      stats.querySelector('[data-stat="minutes"]').textContent = data.minutes + " min read";
      stats.querySelector('[data-stat="grade"]').textContent = data.grade;
      stats.hidden = false;
    }).catch(function () {
      stats.hidden = false;
      stats.querySelector('[data-stat="grade"]').textContent =
        "The preview could not be updated (are you still logged in?). Your text is kept.";
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  /* --- Scrolling together ----------------------------------------------------------- */
  var scrolling = null;

  function ratio(top, height, visible) {
    var range = height - visible;
    return range > 0 ? top / range : 0;
  }

  function syncScroll() {
    var win = frame.contentWindow;
    var doc = frame.contentDocument;
    if (!win || !doc || scrolling === "frame") return;
    scrolling = "text";
    var r = ratio(text.scrollTop, text.scrollHeight, text.clientHeight);
    win.scrollTo(0, r * (doc.documentElement.scrollHeight - win.innerHeight));
    requestAnimationFrame(function () { scrolling = null; });
  }

  function syncFromFrame() {
    var win = frame.contentWindow;
    var doc = frame.contentDocument;
    if (scrolling === "text") return;
    scrolling = "frame";
    var r = ratio(win.scrollY, doc.documentElement.scrollHeight, win.innerHeight);
    text.scrollTop = r * (text.scrollHeight - text.clientHeight);
    requestAnimationFrame(function () { scrolling = null; });
  }

  /* --- Narrow screens: text or preview, with a toggle ------------------------------ */
  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "button editor-toggle";
  toggle.setAttribute("aria-pressed", "false");
  toggle.textContent = "Show preview";
  toggle.addEventListener("click", function () {
    var showing = panes.classList.toggle("show-preview");
    toggle.setAttribute("aria-pressed", showing ? "true" : "false");
    toggle.textContent = showing ? "Show text" : "Show preview";
    if (showing) refresh();
  });
  root.insertBefore(toggle, panes);

  function startPreview() {
    var doc = frame.contentDocument;
    doc.addEventListener("click", function (event) {
      // Links in the preview open in a new tab; in-page links (contents, citations) scroll.
      var link = event.target.closest("a[href]");
      if (link && link.getAttribute("href").charAt(0) !== "#") {
        event.preventDefault();
        window.open(link.href, "_blank", "noopener");
      }
    });
    frame.contentWindow.addEventListener("scroll", syncFromFrame, { passive: true });
    refresh();
  }

  previewPane.hidden = false;
  panes.classList.add("has-preview");
  if (frame.contentDocument && frame.contentDocument.readyState === "complete" && frameMain()) {
    startPreview();
  } else {
    frame.addEventListener("load", startPreview, { once: true });
  }
  text.addEventListener("input", schedule);
  text.addEventListener("scroll", syncScroll, { passive: true });
  form.addEventListener("input", function (event) {
    if (event.target !== text) schedule(); // a reference, the title: the preview shows them
  });
  form.addEventListener("change", schedule);

  /* --- References: reorder by dragging a row's handle, its arrow keys, or its number ---- */
  var refs = document.getElementById("references-group");
  var refsBody = refs && refs.querySelector("tbody");
  var refsStatus = null;

  function positionInput(row) { return row.querySelector('td.field-position input'); }

  function hasContent(row) {
    if (row.classList.contains("empty-form")) return false;
    var id = row.querySelector('input[name$="-id"]');
    var key = row.querySelector('input[name$="-key"]');
    var title = row.querySelector('input[name$="-title"]');
    return Boolean((id && id.value) || (key && key.value.trim()) || (title && title.value.trim()));
  }

  function contentRows() {
    return Array.prototype.filter.call(refsBody.querySelectorAll("tr.form-row"), hasContent);
  }

  function renumber(moved) {
    var rows = contentRows();
    rows.forEach(function (row, index) {
      var input = positionInput(row);
      if (input) input.value = String(index + 1);
    });
    if (moved) {
      refsStatus.textContent = "Reference moved to number " + (rows.indexOf(moved) + 1) +
        " of " + rows.length + ".";
    }
    schedule();
  }

  function addHandle(row) {
    var cell = row.querySelector("td.field-position");
    if (!cell || cell.querySelector(".drag-handle")) return;
    var handle = document.createElement("button");
    handle.type = "button";
    handle.className = "drag-handle";
    handle.draggable = true;
    handle.setAttribute("aria-label", "Move this reference: drag it, or press the up and down arrow keys");
    handle.textContent = "\u2630";
    cell.insertBefore(handle, cell.firstChild);
  }

  function sortByNumber(changed) {
    var rows = contentRows();
    var sorted = rows.slice().sort(function (a, b) {
      var x = parseInt(positionInput(a).value, 10), y = parseInt(positionInput(b).value, 10);
      x = isNaN(x) ? 0 : x; y = isNaN(y) ? 0 : y;
      // A row given the number another row has goes before it: "make this number 1".
      if (x === y) return a === changed ? -1 : (b === changed ? 1 : 0);
      return x - y;
    });
    var anchor = rows.length ? rows[rows.length - 1].nextElementSibling : null;
    sorted.forEach(function (row) { refsBody.insertBefore(row, anchor); });
    renumber(changed);
  }

  if (refsBody) {
    refsStatus = document.createElement("p");
    refsStatus.className = "visually-hidden";
    refsStatus.setAttribute("aria-live", "polite");
    refs.appendChild(refsStatus);
    Array.prototype.forEach.call(refsBody.querySelectorAll("tr.form-row"), addHandle);
    document.addEventListener("formset:added", function (event) {
      if (event.target && event.target.closest && event.target.closest("#references-group")) {
        addHandle(event.target);
      }
    });

    var dragged = null;
    function clearMarks() {
      Array.prototype.forEach.call(refsBody.querySelectorAll(".drop-before, .drop-after"),
        function (row) { row.classList.remove("drop-before", "drop-after"); });
    }
    refsBody.addEventListener("dragstart", function (event) {
      var handle = event.target.closest && event.target.closest(".drag-handle");
      if (!handle) return;
      dragged = handle.closest("tr");
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "reference");
    });
    refsBody.addEventListener("dragover", function (event) {
      var row = dragged && event.target.closest("tr.form-row");
      if (!row || row === dragged || !hasContent(row)) return;
      event.preventDefault();
      clearMarks();
      var box = row.getBoundingClientRect();
      row.classList.add(event.clientY < box.top + box.height / 2 ? "drop-before" : "drop-after");
    });
    refsBody.addEventListener("drop", function (event) {
      var row = dragged && event.target.closest("tr.form-row");
      if (!row || row === dragged) return;
      event.preventDefault();
      var before = row.classList.contains("drop-before");
      refsBody.insertBefore(dragged, before ? row : row.nextElementSibling);
      clearMarks();
      renumber(dragged);
    });
    refsBody.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
      clearMarks();
    });
    refsBody.addEventListener("keydown", function (event) {
      var handle = event.target.closest && event.target.closest(".drag-handle");
      if (!handle || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
      event.preventDefault();
      var row = handle.closest("tr");
      var rows = contentRows();
      var index = rows.indexOf(row);
      if (index < 0) return;
      if (event.key === "ArrowUp" && index > 0) refsBody.insertBefore(row, rows[index - 1]);
      else if (event.key === "ArrowDown" && index < rows.length - 1) {
        refsBody.insertBefore(row, rows[index + 1].nextElementSibling);
      }
      handle.focus();
      renumber(row);
    });
    refsBody.addEventListener("change", function (event) {
      var cell = event.target.closest("td.field-position");
      if (cell) sortByNumber(cell.closest("tr"));
    });
  }

  window.articleEditor = { form: form, text: text, refresh: schedule, formData: formData };
})();
