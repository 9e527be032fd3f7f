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

  window.articleEditor = { form: form, text: text, refresh: schedule, formData: formData };
})();
