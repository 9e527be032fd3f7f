/* The article editor (admin add/change pages): the Markdown text beside a preview drawn by
   the public page's own templates, updated as the editor types and scrolled with the text.
   A call-to-action's form runs it too: its preview (the box readers see after an article),
   the same autosave, and an image dropped or pasted into its text uploaded; the body's own
   tools (scrolling together, the phone's toggle, references, toolbar, image dialog) are the
   article's alone.
   Reads its addresses from #article-editor-config; nothing inline, so the CSP stays 'self'. */
(function () {
  "use strict";

  var config = document.getElementById("article-editor-config");
  if (!config) return;
  var form = config.closest("form");
  var root = form.querySelector("[data-article-editor]"); // the article's body; null for a call-to-action
  var text = (root || form).querySelector("textarea");
  var panes = root && root.querySelector(".editor-panes");
  var previewPane = form.querySelector(".editor-preview");
  var frame = previewPane.querySelector(".editor-preview-frame");
  var stats = root && root.querySelector(".editor-stats");
  var savedGrade = form.querySelector(".form-row.field-reading_grade");
  var DEBOUNCE_MS = 400;
  var LABEL = "label:";

  function formData() {
    var data = new FormData(form);
    // Files (the featured image) are not needed to draw the text and would be sent each time.
    var files = [];
    data.forEach(function (value, name) { if (value instanceof File) files.push(name); });
    files.forEach(function (name) { data.delete(name); });
    data.set("object_id", config.dataset.objectId || "");
    // What a chosen option reads (an autocomplete list holds only the chosen one), so a
    // restored draft shows the author's name, not a number.
    Array.prototype.forEach.call(form.querySelectorAll("select[name]"), function (select) {
      var option = select.selectedOptions && select.selectedOptions[0];
      if (option && option.value) data.set(LABEL + select.name, option.textContent);
    });
    return data;
  }

  /* --- Times as the admin writes them, in the site's time zone ---------------------- */
  // The browser's own format and zone ("Dec 6, 2026, 3:29 PM") sat beside the admin's
  // "6 Dec 2026, 15:29" on the same screen. The page names the site's zone (TIME_ZONE) and
  // the browser's Intl reads any moment's wall clock there, daylight saving included; the
  // page's one UTC offset (data-admin-utc-offset) is right only on its side of a change.
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var siteParts = null;
  try {
    siteParts = new Intl.DateTimeFormat("en-GB", {
      timeZone: config.dataset.timeZone || "UTC", hourCycle: "h23", year: "numeric",
      month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric"
    });
  } catch (error) { siteParts = null; } // a zone this browser does not know: the page's offset
  function siteClock(instant) {
    var clock = {};
    if (siteParts) {
      siteParts.formatToParts(new Date(instant)).forEach(function (part) { clock[part.type] = +part.value; });
      return { year: clock.year, month: clock.month, day: clock.day, hour: clock.hour % 24,
        minute: clock.minute, second: clock.second };
    }
    var shifted = new Date(instant + (Number(document.body.dataset.adminUtcOffset) || 0) * 1000);
    return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
      hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds() };
  }
  // How many moments read this wall clock in the site's zone: 1, or 2 in the hour the clocks
  // go back, or 0 in the hour they skip going forward. Django's form refuses the last two
  // ("it may be ambiguous or it may not exist"), where the wall-clock comparison below said
  // "Scheduled for" (or "Published") an hour out. A zone this browser does not know: 1.
  function siteMoments(clock) {
    if (!siteParts) return 1;
    var wall = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
    var offsetAt = function (instant) {
      var c = siteClock(instant);
      return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - instant;
    };
    // The zone's offsets a day either side cover any one change of the clocks.
    var found = {};
    [offsetAt(wall - 86400000), offsetAt(wall), offsetAt(wall + 86400000)].forEach(function (offset) {
      var instant = wall - offset;
      if (offsetAt(instant) === offset) found[instant] = true;
    });
    return Object.keys(found).length;
  }
  // The admin's DATETIME_FORMAT (nervepain/formats): "1 Mar 2027, 09:30".
  function clockText(clock) {
    var twoDigits = function (number) { return ("0" + number).slice(-2); };
    return clock.day + " " + MONTHS[clock.month - 1] + " " + clock.year + ", " +
      twoDigits(clock.hour) + ":" + twoDigits(clock.minute);
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
        // One Tab stop, the frame (where the arrow keys scroll it), not one per link of the
        // contents, citations and references between the text and the rest of the form.
        Array.prototype.forEach.call(main.querySelectorAll("a[href], button, summary, input, select, textarea, [tabindex]"),
          function (element) { element.tabIndex = -1; });
        if (root) alignFrame();
        else fitFrame(main);
      }
      previewNote.hidden = true;
      if (!stats) return;
      stats.querySelector('[data-stat="words"]').textContent = data.words + " words";
      stats.querySelector('[data-stat="minutes"]').textContent = data.minutes + " min read";
      stats.querySelector('[data-stat="grade"]').textContent = data.grade;
      stats.hidden = false;
      // The saved text's grade (the page's row for browsers without script) would only
      // repeat this line, and go stale as the editor types.
      if (savedGrade) savedGrade.hidden = true;
      if (data.grade_pending) setTimeout(schedule, 1500); // the grader is still loading
    }).catch(function () {
      var failed = "The preview could not be updated (are you still logged in?). Your text is kept.";
      if (stats) {
        stats.hidden = false;
        stats.querySelector('[data-stat="grade"]').textContent = failed;
      } else {
        previewNote.textContent = failed;
        previewNote.hidden = false;
      }
    });
  }

  // Where a preview that failed says so: the article's reading aids, or under the box.
  var previewNote = stats ? document.createElement("p") : previewPane.appendChild(document.createElement("p"));
  previewNote.className = "editor-preview-note";
  previewNote.hidden = true;

  // A call-to-action's frame is as tall as the box it shows, with the margins it has after an
  // article; not a window of its own to scroll, nor a page's height (CSSOM styles from script,
  // which the CSP allows).
  function fitFrame(main) {
    var box = main.lastElementChild;
    if (!box) return;
    main.style.minHeight = "0";
    main.style.paddingBottom = "0";
    var below = parseFloat(frame.contentWindow.getComputedStyle(box).marginBottom) || 0;
    var border = frame.offsetHeight - frame.clientHeight;
    var bottom = box.getBoundingClientRect().bottom + frame.contentWindow.scrollY;
    frame.style.height = Math.ceil(bottom + below + border) + "px";
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  /* --- Scrolling together ----------------------------------------------------------- */
  // Each side's scroll moves the other, and that move fires a scroll event of its own: an
  // echo, which must not move the first side back (the text snapped back towards the top as
  // the preview, smooth-scrolling, reported where it was on the way). So the script remembers
  // where it put each side, and a scroll event finding that side still there is its own echo;
  // anything else is the editor's scrolling, never reverted.
  var textPutAt = null;
  var framePutAt = null;

  function ratio(top, height, visible) {
    var range = height - visible;
    return range > 0 ? top / range : 0;
  }

  function near(position, putAt) {
    return putAt !== null && Math.abs(position - putAt) <= 1;
  }

  // The preview to the text's place (after a scroll of the text, or a new preview).
  function alignFrame() {
    var win = frame.contentWindow;
    var doc = frame.contentDocument;
    if (!win || !doc) return;
    var r = ratio(text.scrollTop, text.scrollHeight, text.clientHeight);
    var before = win.scrollY;
    win.scrollTo(0, Math.round(r * (doc.documentElement.scrollHeight - win.innerHeight)));
    if (win.scrollY !== before) framePutAt = win.scrollY; // no move, no echo to expect
  }

  function syncScroll() {
    if (near(text.scrollTop, textPutAt)) return; // the echo of syncFromFrame's move
    textPutAt = null;
    alignFrame();
  }

  function syncFromFrame() {
    var win = frame.contentWindow;
    var doc = frame.contentDocument;
    if (near(win.scrollY, framePutAt)) return; // the echo of alignFrame's move
    framePutAt = null;
    var r = ratio(win.scrollY, doc.documentElement.scrollHeight, win.innerHeight);
    var before = text.scrollTop;
    text.scrollTop = Math.round(r * (text.scrollHeight - text.clientHeight));
    if (text.scrollTop !== before) textPutAt = text.scrollTop;
  }

  /* --- Narrow screens: text or preview, with a toggle ------------------------------ */
  if (root) {
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
  }

  function startPreview() {
    var doc = frame.contentDocument;
    // The public stylesheet scrolls smoothly (html{scroll-behavior:smooth}); the script's
    // scrolls of the preview must land at once, in the same frame as the text's. Set from
    // script (CSSOM), which the CSP allows, where a style attribute would not be.
    doc.documentElement.style.scrollBehavior = "auto";
    doc.addEventListener("click", function (event) {
      // Links in the preview open in a new tab; in-page links (contents, citations) scroll.
      var link = event.target.closest("a[href]");
      if (link && link.getAttribute("href").charAt(0) !== "#") {
        event.preventDefault();
        window.open(link.href, "_blank", "noopener");
      }
    });
    if (root) frame.contentWindow.addEventListener("scroll", syncFromFrame, { passive: true });
    refresh();
  }

  previewPane.hidden = false;
  if (panes) panes.classList.add("has-preview");
  // A call-to-action's text box is markdownx's: its preview of the text alone gives way.
  var textOnly = form.querySelector(".markdownx-preview");
  if (!root && textOnly) textOnly.hidden = true;
  if (frame.contentDocument && frame.contentDocument.readyState === "complete" && frameMain()) {
    startPreview();
  } else {
    frame.addEventListener("load", startPreview, { once: true });
  }
  if (root) text.addEventListener("scroll", syncScroll, { passive: true });
  // The text, the title, a reference, the heading or the button: the preview shows them.
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  /* --- Autosave: in this browser at once, on the server every few seconds ------------ */
  var AUTOSAVE_MS = 2000;
  // This browser's copy: one per saved article, and one per editing session of a new one (two
  // new articles in two tabs shared one, and the second's typing replaced the first's).
  var draftBase = "nervepain:" + (config.dataset.kind || "article") + "-draft:" +
    config.dataset.user + ":";
  var isNew = !config.dataset.objectId;
  function keyFor(token) { return draftBase + (isNew ? "new:" + token : config.dataset.objectId); }
  var autosaveStatus = document.createElement("span");
  autosaveStatus.className = "editor-autosave";
  var statusAfter = stats || previewPane;
  statusAfter.parentNode.insertBefore(autosaveStatus, statusAfter.nextSibling);
  var autosaveTimer = null;
  var restoring = false;
  // This editing session's token: sent with the save, so the next page can tell this browser
  // that what it kept was saved. A form sent back to be corrected (a refused save) is the
  // same session: what this browser kept before sending it is dropped once it is saved.
  var sentBack = "sentBack" in config.dataset;
  var editToken = config.dataset.editorToken ||
    Math.random().toString(36).slice(2) + Date.now().toString(36);
  var draftKey = keyFor(editToken);

  var NOT_COMPARED = ["csrfmiddlewaretoken", "object_id", "editor_token"];

  function snapshot() {
    var data = {};
    formData().forEach(function (value, name) {
      if (NOT_COMPARED.indexOf(name) >= 0) return;
      if (name in data) data[name] = [].concat(data[name], value);
      else data[name] = value;
    });
    return data;
  }

  function differs(data) {
    var now = snapshot();
    var names = Object.keys(now).concat(Object.keys(data)).filter(function (name) {
      return NOT_COMPARED.indexOf(name) < 0; // the server's copy holds the session's token
    });
    return names.some(function (name) {
      return JSON.stringify(now[name] === undefined ? "" : now[name]) !==
        JSON.stringify(data[name] === undefined ? "" : data[name]);
    });
  }

  function keepLocally() {
    try {
      localStorage.setItem(draftKey, JSON.stringify({
        saved_at: new Date().toISOString(), token: editToken, data: snapshot()
      }));
    } catch (error) { /* storage full or off: the server copy still works */ }
  }

  function timeText(iso) {
    return clockText(siteClock(Date.parse(iso)));
  }

  function autosave(beacon) {
    var data = formData();
    data.set("editor_token", editToken); // whose copy it is, for the browser that kept its own
    if (beacon && navigator.sendBeacon) {
      navigator.sendBeacon(config.dataset.autosaveUrl, data);
      return;
    }
    fetch(config.dataset.autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.indexOf("application/json") < 0) throw new Error("not saved");
      return response.json();
    }).then(function (body) {
      autosaveStatus.textContent = "Draft kept at " + timeText(body.saved_at) + ".";
    }).catch(function () {
      autosaveStatus.textContent = "Draft kept in this browser only (are you still logged in?).";
    });
  }

  function changed() {
    if (restoring) return;
    keepLocally();
    clearTimeout(autosaveTimer);
    autosaveTimer = setTimeout(function () { autosave(false); }, AUTOSAVE_MS);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // Django's calendar, clock, "Today" and "Now" (DateTimeShortcuts.js) write a date or time
  // box's value and focus it, with no input or change event: the draft kept, the server's copy
  // and the preview missed a date picked that way until the next key typed. The boxes' values
  // are remembered; one found different when a box takes the focus, or after a click on a box,
  // its links or its calendar or clock (a link that keeps the focus where it was), is announced
  // as typing would be. Not after every click on the page: only these write the boxes.
  var pickedBoxes = Array.prototype.slice.call(form.querySelectorAll("input.vDateField, input.vTimeField"));
  var pickedValues = new WeakMap();
  function notePickedValues() {
    pickedBoxes.forEach(function (box) { pickedValues.set(box, box.value); });
  }
  function announcePicked() {
    pickedBoxes.forEach(function (box) {
      if (pickedValues.get(box) === box.value) return;
      pickedValues.set(box, box.value);
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  notePickedValues();
  pickedBoxes.forEach(function (box) {
    box.addEventListener("focus", announcePicked);
    box.addEventListener("input", function () { pickedValues.set(box, box.value); });
  });
  // Heard on the way down: Django stops its links' clicks. Its calendars and clocks are the
  // page's, outside the form.
  var PICKERS = ".datetimeshortcuts, .calendarbox, .clockbox, input.vDateField, input.vTimeField";
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(PICKERS)) setTimeout(announcePicked, 0);
  }, true);

  // Django's related-object popups (the "+" and pencil beside a select) and the author's
  // autocomplete change a select with jQuery's trigger("change"), which listeners added with
  // addEventListener never hear: listen with Django's jQuery too. It hears the browser's own
  // changes as well (those carry an originalEvent; the listeners above have them) and, as the
  // page loads, a trigger on every related select that changes nothing: only a select whose
  // value or label differs from the last seen is a change.
  var seen = new WeakMap();
  function selectState(select) {
    var option = select.selectedOptions && select.selectedOptions[0];
    return select.value + "\n" + (option ? option.textContent : "");
  }
  Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
    seen.set(select, selectState(select));
  });
  var jQuery = window.django && window.django.jQuery;
  if (jQuery) {
    jQuery(form).on("change", function (event) {
      var select = event.target.closest && event.target.closest("select");
      if (!select) return;
      var state = selectState(select);
      var before = seen.get(select);
      seen.set(select, state);
      if (event.originalEvent || state === before) return;
      schedule();
      changed();
    });
  }

  // Closing the tab or switching away: send what is pending at once.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && autosaveTimer) {
      clearTimeout(autosaveTimer);
      autosaveTimer = null;
      autosave(true);
    }
  });
  window.addEventListener("pagehide", function () {
    if (autosaveTimer) { clearTimeout(autosaveTimer); autosaveTimer = null; autosave(true); }
  });
  form.addEventListener("submit", function (event) {
    // "Preview as a reader" sends the form to another address, in a new tab: no save. The
    // autosave due goes on (cancelled, the server's copy lacked the last words typed).
    if (event.submitter && event.submitter.hasAttribute("formaction")) return;
    clearTimeout(autosaveTimer);
    autosaveTimer = null;
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "editor_token";
    token.value = editToken;
    form.appendChild(token);
  });

  function restore(data) {
    restoring = true;
    var total = data["references-TOTAL_FORMS"];
    var totalInput = form.querySelector('[name="references-TOTAL_FORMS"]');
    var addRow = document.querySelector("#references-group .add-row a");
    while (totalInput && addRow && total && parseInt(totalInput.value, 10) < parseInt(total, 10)) {
      addRow.click();
    }
    Array.prototype.forEach.call(form.elements, function (field) {
      var name = field.name;
      if (!name || field.type === "file" || field.type === "submit" || field.type === "button" ||
          name === "csrfmiddlewaretoken" || /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(name)) return;
      var value = data[name];
      if (field.type === "checkbox" || field.type === "radio") {
        var values = [].concat(value === undefined ? [] : value);
        field.checked = values.indexOf(field.value) >= 0;
      } else if (field.tagName === "SELECT" && field.multiple) {
        var chosen = [].concat(value === undefined ? [] : value);
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = chosen.indexOf(option.value) >= 0;
        });
      } else if (value !== undefined) {
        if (field.tagName === "SELECT" && !field.querySelector('option[value="' + CSS.escape(String(value)) + '"]')) {
          // An autocomplete list only holds the chosen option: add the restored one.
          var option = document.createElement("option");
          option.value = value;
          option.textContent = data[LABEL + name] || value;
          field.appendChild(option);
        }
        field.value = value;
      }
    });
    // The summary's count follows its restored text as it follows typing (it said "160
    // characters left" over a restored 170).
    if (summary) summary.dispatchEvent(new Event("input"));
    restoring = false;
    notePickedValues(); // a restored date is no date picked
    followPublishDate();
    if (refsBody) sortByNumber(null);
    schedule();
    changed();
  }

  var offer = form.querySelector(".autosave-offer");
  var serverDraftNode = document.getElementById("article-autosaved");
  var serverDraft = serverDraftNode ? {
    saved_at: config.dataset.autosavedAt, data: JSON.parse(serverDraftNode.textContent)
  } : null;
  if (serverDraft) serverDraft.token = serverDraft.data.editor_token;
  function readLocal(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { return null; }
  }
  var localDraft = null, localKey = draftKey;
  var savedTokens = (config.dataset.savedTokens || "").split(" ");
  if (isNew) {
    // The latest new article's kept here (or the one the server's offer names: ?draft=);
    // each kept till its own article is saved or its draft discarded.
    var chosenToken = "draftChosen" in config.dataset && serverDraft ? serverDraft.token : "";
    var keys = [];
    for (var k = 0; k < localStorage.length; k++) keys.push(localStorage.key(k));
    keys.forEach(function (key) {
      if (key !== draftBase + "new" && key.indexOf(draftBase + "new:") !== 0) return;
      var kept = readLocal(key);
      if (kept && kept.token && savedTokens.indexOf(kept.token) >= 0) {
        localStorage.removeItem(key); // saved since: nothing was lost
        return;
      }
      if (!kept || (chosenToken && kept.token !== chosenToken)) return;
      if (!localDraft || Date.parse(kept.saved_at) > Date.parse(localDraft.saved_at)) {
        localDraft = kept;
        localKey = key;
      }
    });
  } else {
    localDraft = readLocal(draftKey);
    if (localDraft && localDraft.token && savedTokens.indexOf(localDraft.token) >= 0) {
      localStorage.removeItem(draftKey); // saved since: nothing was lost
      localDraft = null;
    }
  }
  // What this browser kept is its own latest typing; a draft equal to the form (saved since,
  // or restored) is nothing to offer. A form sent back to be corrected (a newer version saved
  // meanwhile, a field to fix) holds what was typed already, all of it: nothing to offer;
  // restored there, a draft would also bring back the version it was typed on, and "Save
  // again" would be refused again. What this browser kept stays until the form is saved.
  var candidates = sentBack ? [] : [localDraft, serverDraft].filter(function (draft) {
    return draft && draft.data && differs(draft.data);
  });
  if (localDraft && !sentBack && candidates.indexOf(localDraft) < 0) localStorage.removeItem(localKey);
  var offered = candidates[0];
  // The server's copy was written by another session (another browser, a phone, another
  // tab) after this browser's: that is the latest typing. Offered this browser's, restoring
  // it replaced the server's copy, and the other session's work was lost. (This browser's
  // own session sends the server what it keeps, so its copy is never older than that.)
  if (candidates.length === 2 && serverDraft.token !== localDraft.token &&
      Date.parse(serverDraft.saved_at) > Date.parse(localDraft.saved_at)) {
    offered = serverDraft;
  }
  if (offered && offer) {
    offer.querySelector("time").textContent = timeText(offered.saved_at);
    offer.querySelector("time").setAttribute("datetime", offered.saved_at);
    offer.hidden = false;
    var offeredKey = offered === localDraft ? localKey : keyFor(offered.token || editToken);
    var asOpened = snapshot();
    offer.querySelector("[data-restore]").addEventListener("click", function () {
      // Typed since the page opened (the offer stays while the first field has the focus):
      // restoring replaced it, with no undo. Asked first.
      if (differs(asOpened) && !window.confirm(
        "Restore the unsaved changes over what you have typed since opening this page? " +
        "What you typed is then lost.")) {
        return;
      }
      offer.hidden = true;
      if (isNew && offered.token) {
        // Its editing session goes on here: autosave keeps it in its own place, and saving
        // the article forgets it (and no other new article's).
        editToken = offered.token;
        draftKey = keyFor(editToken);
        if (offeredKey !== draftKey) localStorage.removeItem(offeredKey);
      }
      restore(offered.data);
      text.focus();
    });
    offer.querySelector("[data-discard]").addEventListener("click", function () {
      offer.hidden = true;
      localStorage.removeItem(offeredKey);
      var data = new FormData();
      data.set("csrfmiddlewaretoken", form.querySelector('[name="csrfmiddlewaretoken"]').value);
      data.set("object_id", config.dataset.objectId || "");
      data.set("draft_token", offered.token || "");
      fetch(config.dataset.discardUrl, { method: "POST", body: data, credentials: "same-origin" });
      text.focus();
    });
  }

  // Ctrl+S (⌘S on a Mac) saves and keeps the form open, as in Ghost, WordPress or a word
  // processor: the browser's own "Save page as" would save a copy of this page, not the text.
  // Pressed again before the page comes back (twice, or held down), it sends nothing more: a
  // second save found the first and was refused as a save by someone else since.
  var saving = false;
  form.addEventListener("submit", function (event) {
    // "Preview as a reader" opens a new tab: this page stays, and may still save.
    if (event.defaultPrevented || (event.submitter && event.submitter.hasAttribute("formaction"))) return;
    saving = true;
  });
  window.addEventListener("pageshow", function () {
    saving = false; // back from the next page (the back-forward cache)
  });
  // By the letter the key types (event.key), not by where it sits (event.code, a US
  // keyboard's place): on a Dvorak keyboard the key in the S place types "o", and the "s" key
  // saved nothing. Either case: Caps Lock may be on.
  function saveKey(event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    if (shortcutLetter(event) !== "s") return;
    var stay = form.querySelector('[name="_continue"]');
    if (!stay || form.querySelector("dialog[open]")) return;
    event.preventDefault();
    if (saving || event.repeat) return;
    keepCaret();
    form.requestSubmit(stay);
  }
  // A key typing a letter of another alphabet (Russian: Ctrl+S types "ы", Greek "σ") has no
  // Latin letter to match: there, as in Word or Google Docs, the shortcut is the key in the
  // Latin letter's place (event.code), as the Latin layout the writer switches to would type it.
  function shortcutLetter(event) {
    var letter = String(event.key).toLowerCase();
    if (/^[a-z]$/.test(letter) || !/^\p{L}$/u.test(letter)) return letter;
    var place = /^Key([A-Z])$/.exec(event.code || "");
    return place ? place[1].toLowerCase() : letter;
  }
  // Saved mid-sentence, the form comes back with the caret where it was (see "load" below),
  // as a word processor's does: not nowhere, where the next words typed went.
  var CARET_KEY = "articleEditorCaret";
  function editorPage() { return location.pathname.replace(/(\d+\/change|add)\/$/, ""); }
  function keepCaret() {
    var field = document.activeElement;
    if (!field || field.form !== form || !field.name || typeof field.selectionStart !== "number") return;
    try {
      sessionStorage.setItem(CARET_KEY, JSON.stringify({
        page: editorPage(), name: field.name, start: field.selectionStart, end: field.selectionEnd, scroll: field.scrollTop
      }));
    } catch (error) { /* storage refused: the save goes on */ }
  }
  function takeCaret() {
    try {
      var caret = JSON.parse(sessionStorage.getItem(CARET_KEY) || "null");
      sessionStorage.removeItem(CARET_KEY);
      return caret && caret.page === editorPage() ? caret : null;
    } catch (error) { return null; }
  }
  // The preview too (a Tab stop of its own): its keys go to its own document.
  function listenForSaveKey(doc) {
    if (!doc || doc.articleEditorSaveKey) return;
    doc.articleEditorSaveKey = true;
    doc.addEventListener("keydown", saveKey);
  }
  listenForSaveKey(document);
  frame.addEventListener("load", function () { listenForSaveKey(frame.contentDocument); });
  listenForSaveKey(frame.contentDocument);

  // A save refused for a field: the caret goes to the first field to correct, not to the
  // title, where the next words typed would go. After "load": Django's add form focuses its
  // first field from an async script.
  window.addEventListener("load", function () {
    var invalid = Array.prototype.find.call(form.querySelectorAll('[aria-invalid="true"]'), function (field) {
      return field.offsetParent !== null && !field.disabled;
    });
    var caret = takeCaret();
    if (invalid) {
      invalid.focus();
      if (window.nervepainCaret) window.nervepainCaret.atNamed(invalid); // admin-caret.js
    } else if (offer && offer.contains(document.activeElement)) {
      // Django's add form focuses its first field (async: before or after this script shows
      // the offer of unsaved changes), which could be the offer's Restore button: the title
      // typed went nowhere, and its first space restored the draft. The offer stays, above.
      var first = Array.prototype.find.call(form.elements, function (field) {
        return /^(INPUT|SELECT|TEXTAREA)$/.test(field.tagName) && field.type !== "hidden" &&
          !field.disabled && field.offsetParent !== null;
      });
      if (first) first.focus();
    } else if (caret && document.querySelector(".messagelist .success")) {
      var field = form.elements.namedItem(caret.name);
      if (field && typeof field.setSelectionRange === "function") {
        field.focus();
        field.setSelectionRange(caret.start, caret.end);
        field.scrollTop = caret.scroll;
      }
    }
  });

  window.articleEditor = { form: form, text: text, refresh: schedule, formData: formData };

  // Replace the selection with `replacement` (undoable, like typing), then select
  // [selectFrom, selectTo) within it.
  function replaceSelection(replacement, selectFrom, selectTo) {
    var start = text.selectionStart;
    text.focus();
    if (!document.execCommand || !document.execCommand("insertText", false, replacement)) {
      text.setRangeText(replacement, start, text.selectionEnd, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (selectFrom !== undefined) {
      text.setSelectionRange(start + selectFrom, start + (selectTo === undefined ? selectFrom : selectTo));
    }
  }

  // Blocks need a blank line before and after them to be read as blocks.
  function blockPadding() {
    var before = text.value.slice(0, text.selectionStart);
    var after = text.value.slice(text.selectionEnd);
    return {
      head: before === "" || /\n\n$/.test(before) ? "" : (/\n$/.test(before) ? "\n" : "\n\n"),
      tail: after === "" || /^\n\n/.test(after) ? "" : (/^\n/.test(after) ? "\n" : "\n\n")
    };
  }

  function imageFrom(items) {
    for (var i = 0; items && i < items.length; i++) {
      var item = items[i];
      var file = item.getAsFile ? (item.kind === "file" ? item.getAsFile() : null) : item;
      if (file && /^image\//.test(file.type)) return file;
    }
    return null;
  }

  /* --- A file let go beside the drop targets: not opened in place of the form --------- */
  // Only the text box takes a dropped image (and the featured image's box its file): a file
  // dropped anywhere else, the preview included, was opened by the browser in place of this
  // page. Autosave kept the text, but the editor was gone. The pointer says "no drop" there.
  function carriesFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
  }
  function refuseStrayFile(event) {
    if (event.defaultPrevented || !carriesFiles(event)) return; // a drop target took it
    if (event.target.matches && event.target.matches('input[type="file"]')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "none";
  }
  function guardDrops(doc) {
    if (!doc || doc.articleEditorGuarded) return;
    doc.articleEditorGuarded = true;
    doc.addEventListener("dragover", refuseStrayFile);
    doc.addEventListener("drop", refuseStrayFile);
  }
  guardDrops(document);
  frame.addEventListener("load", function () { guardDrops(frame.contentDocument); });
  guardDrops(frame.contentDocument);

  // The summary's count (the meta description, 160 characters at most) is drawn by
  // admin-char-count.js, loaded with this script.
  var summary = form.querySelector('input[name="summary"][data-maxlength]');

  /* --- The Status choice follows the publish date ----------------------------------- */
  // "Published" with a publish date still to come is scheduled: the server words a saved
  // article's choice "Scheduled for <date, time>" (articles/admin.py). Editing the date
  // changed nothing until the save: a date set to come still read "Published" (and a date
  // brought back, "Scheduled for" the old one). The choice reads what saving will do as the
  // date is typed or picked; the server decides again on save.
  var statusBox = form.querySelector('select[name="status"][data-scheduled]');
  var publishedOption = statusBox && statusBox.querySelector('option[value="published"]');
  var dayBox = form.querySelector('input[name="published_at_0"]');
  var timeBox = form.querySelector('input[name="published_at_1"]');
  var MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  // Python's strptime, as the save reads the boxes: each of the admin's input formats in turn
  // (get_format, from the admin's jsi18n script: "2027-03-01", "3/1/2027", "1 Mar 2027",
  // "March 1, 2027"...), the whole text, any case, any run of spaces for a space.
  var DIRECTIVES = {
    Y: "(\\d{4})", y: "(\\d{2})", m: "(1[0-2]|0[1-9]|[1-9])", d: "(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])",
    b: "(" + MONTHS.join("|") + ")", B: "(" + MONTH_NAMES.join("|") + ")",
    H: "(2[0-3]|[0-1]\\d|\\d)", M: "([0-5]\\d|\\d)", S: "(6[01]|[0-5]\\d|\\d)", f: "(\\d{1,6})"
  };
  function inputFormats(name, fallback) {
    var formats = typeof window.get_format === "function" ? window.get_format(name) : null;
    return Array.isArray(formats) && formats.length ? formats : fallback;
  }
  function readAs(value, format) {
    var names = [];
    var source = "";
    for (var i = 0; i < format.length; i++) {
      var c = format.charAt(i);
      if (c === "%") {
        var name = format.charAt(++i);
        if (!DIRECTIVES[name]) return null; // a format this script cannot follow
        names.push(name);
        source += DIRECTIVES[name];
      } else if (/\s/.test(c)) {
        while (/\s/.test(format.charAt(i + 1))) i++;
        source += "\\s+";
      } else {
        source += c.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&");
      }
    }
    var found = new RegExp("^" + source + "$", "i").exec(value);
    if (!found) return null;
    var parts = {};
    names.forEach(function (key, index) { parts[key] = found[index + 1].trim(); });
    return parts;
  }
  function monthOf(parts) {
    if (parts.m) return +parts.m;
    var name = (parts.b || parts.B || "").toLowerCase();
    var list = parts.b ? MONTHS : MONTH_NAMES;
    for (var i = 0; i < list.length; i++) if (list[i].toLowerCase() === name) return i + 1;
    return 0;
  }
  function readDay(value) {
    var formats = inputFormats("DATE_INPUT_FORMATS", ["%Y-%m-%d"]);
    for (var i = 0; i < formats.length; i++) {
      var parts = readAs(value, formats[i]);
      if (!parts || !parts.d || !(parts.Y || parts.y)) continue;
      // Two digits: 69-99 the 1900s, 00-68 the 2000s, as Python reads them.
      var year = parts.Y ? +parts.Y : (+parts.y >= 69 ? 1900 : 2000) + +parts.y;
      var month = monthOf(parts);
      var day = +parts.d;
      var check = new Date(Date.UTC(year, month - 1, day));
      if (month && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
        return { year: year, month: month, day: day }; // 30 Feb is no date: the next format
      }
    }
    return null;
  }
  function readTime(value) {
    var formats = inputFormats("TIME_INPUT_FORMATS", ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]);
    for (var i = 0; i < formats.length; i++) {
      var parts = readAs(value, formats[i]);
      if (parts && parts.H && parts.M && +(parts.S || 0) < 60) {
        return { hour: +parts.H, minute: +parts.M, second: +(parts.S || 0) };
      }
    }
    return null;
  }
  // A date or time the save would refuse is said so under the boxes, as the typing goes: the
  // Status choice and the Publication line cannot say what the save will do with it.
  var dateUnread = null;
  if (dayBox && dayBox.dataset.unread) {
    dateUnread = document.createElement("div"); // a help div lines up on a phone; a p did not
    dateUnread.className = "help publish-date-unread";
    dateUnread.id = dayBox.id + "_unread";
    dateUnread.hidden = true;
    var dateRow = dayBox.closest(".flex-container") || dayBox.parentNode;
    dateRow.parentNode.insertBefore(dateUnread, dateRow.nextSibling);
    [dayBox, timeBox].forEach(function (box) {
      if (!box) return;
      var described = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      box.setAttribute("aria-describedby", described.concat(dateUnread.id).join(" "));
    });
  }
  function sayUnread(message) {
    if (!dateUnread) return;
    dateUnread.hidden = !message;
    if (dateUnread.textContent !== message) dateUnread.textContent = message;
  }
  // What saving makes a published article: "Published" (with its date, if one is given) or
  // "Scheduled for" it; null while the boxes hold what the save would refuse.
  var publishedEdit = null;
  function followPublishDate() {
    if (!publishedOption || !dayBox || !timeBox) return;
    var dayText = dayBox.value.trim();
    var timeText = timeBox.value.trim();
    var label = statusBox.dataset.published; // no date: now, on publishing
    publishedEdit = label;
    sayUnread("");
    if (dayText || timeText) {
      var day = dayText ? readDay(dayText) : null;
      var time = timeText ? readTime(timeText) : null;
      if (!day || !time) {
        // The save refuses it ("Enter a valid date."): nothing to say of what it will do.
        publishedEdit = null;
        var data = dayBox.dataset;
        var typed = function (message, value) { return message.replace("%(text)s", function () { return value; }); };
        // A box left empty is no date or time typed wrong: "“” is not a date" said nothing.
        sayUnread(!day ? (dayText ? typed(data.unread, dayText) : data.noDate) :
          timeText ? typed(data.unreadTime, timeText) : data.noTime);
        if (publishedOption.textContent !== label) publishedOption.textContent = label;
        followPublication();
        return;
      }
      // The boxes hold the site's wall clock, as Django's "Now" does: compared with the site's
      // wall clock now, not turned into a moment with the page's one UTC offset, which put a
      // date across a daylight-saving change (or a page left open over one) an hour out.
      var clock = { year: day.year, month: day.month, day: day.day, hour: time.hour,
        minute: time.minute, second: time.second };
      var wall = function (c) { return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second); };
      var whenText = clockText(clock);
      var moments = siteMoments(clock);
      if (moments !== 1) {
        publishedEdit = null;
        sayUnread((moments ? dayBox.dataset.twice : dayBox.dataset.never).replace("%(when)s", function () { return whenText; }));
        if (publishedOption.textContent !== label) publishedOption.textContent = label;
        followPublication();
        return;
      }
      publishedEdit = label + " " + whenText;
      if (wall(clock) > wall(siteClock(Date.now()))) {
        label = statusBox.dataset.scheduled.replace("%(when)s", whenText);
        publishedEdit = label;
      }
    }
    if (publishedOption.textContent !== label) publishedOption.textContent = label;
    followPublication();
  }

  // The Publication line says what is saved: what readers see now. Status and the date, as
  // edited, say what saving will do; the line said "Published" beside a Status choice reading
  // "Scheduled for" a date to come, and the editor could not tell which was true. While the two
  // differ, the line says its state holds until the save, and what the save makes it, as
  // WordPress's Publish box keeps the saved Status beside the edited "Schedule for".
  var publication = form.querySelector(".field-publication .publication");
  var publicationThen = null;
  if (publication && statusBox && config.dataset.objectId && config.dataset.publicationUntil) {
    publicationThen = document.createElement("span");
    publicationThen.className = "publication-then";
    publicationThen.hidden = true;
    publication.parentNode.insertBefore(publicationThen, publication.nextSibling);
    statusBox.addEventListener("change", followPublication);
  }
  // A new article's line said "Draft until it is saved as published." whatever Status said:
  // it says what the save will make it, in the change form's words, while Status is Published.
  var publicationNew = !config.dataset.objectId && config.dataset.publicationNew && statusBox &&
    form.querySelector(".field-publication .publication[data-new]");
  var publicationDraft = publicationNew && publicationNew.textContent;
  if (publicationNew) statusBox.addEventListener("change", followPublication);
  function followNewPublication() {
    var published = statusBox.value === "published";
    var said = !published ? publicationDraft : publishedEdit === null ? config.dataset.publicationUnread :
      config.dataset.publicationNew.replace("%(then)s", function () { return publishedEdit; });
    var kind = !published || publishedEdit === null ? "draft" :
      publishedEdit.indexOf(statusBox.dataset.scheduled.split("%(when)s")[0]) === 0 ? "scheduled" : "published";
    if (publicationNew.textContent !== said) publicationNew.textContent = said;
    publicationNew.className = "publication " + kind;
  }
  function followPublication() {
    if (publicationNew) { followNewPublication(); return; }
    if (!publicationThen) return;
    var chosen = statusBox.selectedOptions[0];
    var edit = statusBox.value === "published" ? publishedEdit : chosen && chosen.textContent;
    var saved = publication.textContent.replace(/\s+/g, " ").trim();
    publicationThen.hidden = !edit || edit === saved;
    publicationThen.textContent = publicationThen.hidden ? "" :
      " " + config.dataset.publicationUntil.replace("%(then)s", edit);
    // The Save bar's line ("Published: readers see each save at once") says what the saved
    // article is; while the edit would change it, what the save makes it, in a few words
    // ("Draft when you save."): the Publication line's whole sentence grew the bar by a line.
    // Its two forms (the whole line, a phone's short one) say the same then.
    publicationBar.forEach(function (form, i) {
      form.textContent = publicationThen.hidden ? publicationBarSaved[i] :
        config.dataset.publicationNew.replace("%(then)s", edit);
    });
  }
  var publicationBar = Array.prototype.slice.call(
    document.querySelectorAll(".submit-row .submit-publication > span"));
  var publicationBarSaved = publicationBar.map(function (form) { return form.textContent; });
  // Django's calendar, clock, "Today" and "Now" set a box without an event, then focus it.
  [dayBox, timeBox].forEach(function (box) {
    if (!box) return;
    ["input", "change", "focus"].forEach(function (type) { box.addEventListener(type, followPublishDate); });
  });
  followPublishDate(); // a form sent back to be corrected holds the date typed

  // The Save bar's "Change" is an anchor to the Publishing fieldset; here it also puts the
  // focus on Status, where the editor publishes, schedules or unpublishes (the jump alone left
  // the focus in the bar). The address keeps no #publishing: a save would come back to it.
  var publishing = document.getElementById("publishing");
  var changePublication = document.querySelector('.submit-row .submit-publication a[href="#publishing"]');
  if (publishing && changePublication && statusBox) {
    changePublication.addEventListener("click", function (event) {
      event.preventDefault();
      publishing.scrollIntoView({ block: "start" });
      statusBox.focus({ preventScroll: true });
    });
  }

  /* --- The date and time boxes, and their calendar and clock, clear of the Save bar ---- */
  // The Save bar stays at the window's foot; the page's scroll-padding-bottom keeps a focused
  // field clear of it, but only the field itself: a publish Date box just above the bar kept
  // the Time box under it, and neither a click nor Django's "Today" scrolls a box already in
  // view. A calendar or clock opens where its link is, not where the focus is, so nothing
  // scrolled it either: opened near the foot, it covered the bar and ran out of the window.
  // Both are brought into view whole, clear of the bar (scrollIntoView heeds the padding).
  // The field whole: its boxes, their links and its help line ("A date in the future
  // schedules..."), which on a phone sat half under the bar once the Time box was clear. A
  // reference's date, in a table row, is its box and links.
  function fieldOf(element) {
    return element.closest("div.form-row") || element.closest(".datetime") || element.parentNode;
  }
  function clearOfTheBar(element) {
    if (getComputedStyle(element).position === "fixed") return; // a phone's calendar, centred
    element.scrollIntoView({ block: "nearest" });
  }
  pickedBoxes.forEach(function (box) {
    box.addEventListener("focus", function () { clearOfTheBar(fieldOf(box)); });
  });
  form.addEventListener("click", function (event) {
    var link = event.target.closest(".datetimeshortcuts a");
    if (!link) return;
    // Django's listener on the link opens it and stops the click there: heard on its way down,
    // the one shown is looked for once Django's listener has run. The field first, then the
    // calendar or clock: where both cannot be clear, the one being used is.
    setTimeout(function () {
      clearOfTheBar(fieldOf(link));
      Array.prototype.forEach.call(document.querySelectorAll(".calendarbox, .clockbox"), function (box) {
        if (getComputedStyle(box).display !== "none") clearOfTheBar(box);
      });
    }, 0);
  }, true);

  /* --- A call-to-action's text: an image dropped or pasted is uploaded and inserted -- */
  function uploadImage(file) {
    var data = new FormData();
    data.append("image", file);
    return fetch(config.dataset.uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.querySelector('[name="csrfmiddlewaretoken"]').value, "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var reasons = body.image || body.__all__ || ["The upload failed (" + response.status + ")."];
          throw new Error(reasons.join(" "));
        }
        return body;
      });
    });
  }

  if (!root) {
    var ctaNote = document.createElement("p");
    ctaNote.className = "help editor-image-note";
    ctaNote.setAttribute("role", "status");
    text.parentNode.insertBefore(ctaNote, text.nextSibling);
    var ctaImage = function (event, file) {
      if (!file) return;
      event.preventDefault();
      ctaNote.textContent = "Uploading " + (file.name || "the image") + "…";
      uploadImage(file).then(function (body) {
        // On a line of its own, the caret between the brackets: its description comes next.
        var pad = blockPadding();
        replaceSelection(pad.head + "![](" + body.url + ")" + pad.tail, pad.head.length + 2);
        ctaNote.textContent = "Describe the image between the square brackets: people who cannot see it read that instead.";
      }).catch(function (error) {
        ctaNote.textContent = error.message || "The upload failed; your text is kept.";
      });
    };
    text.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) event.preventDefault();
    });
    text.addEventListener("drop", function (event) {
      ctaImage(event, event.dataTransfer && imageFrom(event.dataTransfer.files));
    });
    text.addEventListener("paste", function (event) {
      ctaImage(event, event.clipboardData && imageFrom(event.clipboardData.items));
    });
    return; // the rest is the article body's editor
  }

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

  // "Add another" copies one hidden row, number and all: the new row takes the number after
  // the highest of the rows already there, so two added rows are never numbered alike.
  function numberAdded(row) {
    var input = positionInput(row);
    if (!input) return;
    var highest = 0;
    Array.prototype.forEach.call(refsBody.querySelectorAll("tr.form-row"), function (other) {
      if (other === row || other.classList.contains("empty-form")) return;
      var value = parseInt((positionInput(other) || {}).value, 10);
      if (!isNaN(value) && value > highest) highest = value;
    });
    input.value = String(highest + 1);
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
        numberAdded(event.target);
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

  /* --- Toolbar and shortcuts -------------------------------------------------------- */
  var toolbar = root.querySelector(".editor-toolbar");
  var hint = root.querySelector(".editor-hint");

  function selected() { return text.value.slice(text.selectionStart, text.selectionEnd); }

  // Bold or italic; pressed again on the same words, it is taken off (Ctrl+I twice made
  // "__word__", which Markdown reads as bold): the marks inside the selection, or around it,
  // innermost or outermost ("**_word_**": Ctrl+B takes the bold off, Ctrl+I the italic).
  // Either spelling is the same format, as Markdown reads it: bold "**" or "__", italic "_"
  // or "*" (a text pasted or typed by hand). A run of one character counts by its length:
  // "**" is bold, not italic twice; "***" is both. An underscore within a word
  // ("snake_case") is a letter, not a mark. At a caret within a word, the word.
  var WORD = /[\p{L}\p{N}]/u;
  // The marks of each format standing alone in a text (a bold's "**" is no italic).
  var MARKS = {
    bold: /\*\*|__/g,
    italic: /(?<!\*)\*(?!\*)|(?<![\p{L}\p{N}_])_(?!_)|(?<!_)_(?![\p{L}\p{N}_])/gu
  };

  function wrap(mark, placeholder) {
    // A double-clicked word comes with its space: "**word **" is not bold in Markdown. The
    // marks go round the words alone.
    var chosen = selected();
    var lead = chosen.length - chosen.replace(/^\s+/, "").length;
    var trail = chosen.length - chosen.replace(/\s+$/, "").length;
    if (chosen.trim() && (lead || trail)) {
      text.setSelectionRange(text.selectionStart + lead, text.selectionEnd - trail);
    }
    var value = text.value;
    if (text.selectionStart === text.selectionEnd) { // "hello **wo|rld**": the word
      var a = text.selectionStart, b = a;
      while (a > 0 && WORD.test(value.charAt(a - 1))) a--;
      while (b < value.length && WORD.test(value.charAt(b))) b++;
      if (a < text.selectionStart && b > a) text.setSelectionRange(a, b);
    }
    var inner = selected();
    var start = text.selectionStart, end = text.selectionEnd, n = mark.length;
    var bold = n === 2;
    var marks = bold ? MARKS.bold : MARKS.italic;
    function runs(c, s, atEnd) {
      var found = (atEnd ? /[*_]*$/ : /^[*_]*/).exec(s)[0];
      var k = 0;
      while (k < found.length && found.charAt(atEnd ? found.length - 1 - k : k) === c) k++;
      return k;
    }
    function marked(k) { return bold ? k >= 2 : k % 2 === 1; }
    function count(s) { return (s.match(marks) || []).length; }
    // "_" marks only at a word's edge: "snake_case_word" has none.
    function edge(c, before, after) {
      return c === "*" || (!WORD.test(before.slice(-1)) && !WORD.test(after.charAt(0)));
    }
    function finds(test) { return ["*", "_"].some(test); }
    var before = value.slice(0, start), after = value.slice(end);
    var left = /[*_]*$/.exec(before)[0];
    var right = /^[*_]*/.exec(after)[0];
    var within = finds(function (c) {
      var k = runs(c, inner, false), j = runs(c, inner, true);
      return inner.length > k + j && marked(k) && marked(j) && edge(c, before, after) &&
        !count(inner.slice(n, -n)); // "**a** and **b**" is two, not one around " and "
    });
    if (within) {
      var bare = inner.slice(n, -n);
      replaceSelection(bare, 0, bare.length);
      return;
    }
    if (count(inner)) {
      // Marks within the selection ("ibuprofen** or **paracetamol"): all of it takes the
      // format, as a word processor does, and the text around keeps its own. Whether the
      // format is open where the selection starts and ends: the marks since the paragraph's
      // start, counted.
      var paragraph = value.lastIndexOf("\n\n", start - 1) + 1;
      var openAtStart = count(value.slice(paragraph, start)) % 2 === 1;
      var openAtEnd = (count(value.slice(paragraph, start)) + count(inner)) % 2 === 1;
      var plain = inner.replace(marks, "");
      var out = (openAtStart ? "" : mark) + plain + (openAtEnd ? "" : mark);
      var from = openAtStart ? 0 : n;
      replaceSelection(out, from, from + plain.length);
      return;
    }
    var around = null;
    var beforeLeft = before.slice(0, before.length - left.length);
    var afterRight = after.slice(right.length);
    if (inner && finds(function (c) {
      return marked(runs(c, left, true)) && marked(runs(c, right, false)) &&
        edge(c, before.slice(0, before.length - runs(c, left, true)), after.slice(runs(c, right, false)));
    })) {
      around = [left.slice(0, -n), right.slice(n)]; // innermost
    } else if (inner && left.length === right.length && finds(function (c) {
      return marked(runs(c, left, false)) && marked(runs(c, right, true)) &&
        edge(c, beforeLeft, afterRight);
    })) {
      around = [left.slice(n), right.slice(0, -n)]; // outermost
    }
    if (around) {
      text.setSelectionRange(start - left.length, end + right.length);
      replaceSelection(around[0] + inner + around[1], around[0].length, around[0].length + inner.length);
      return;
    }
    inner = inner || placeholder;
    if (mark === "_" && /[\p{L}\p{N}_]/u.test(before.slice(-1) + after.charAt(0))) {
      mark = "*"; // within a word an underscore is a letter: "un*believ*able" is italic
    }
    replaceSelection(mark + inner + mark, n, n + inner.length);
  }

  // Select whole lines around the selection, so line formats apply to each line.
  function selectLines() {
    var value = text.value;
    var start = value.lastIndexOf("\n", text.selectionStart - 1) + 1;
    var end = value.indexOf("\n", text.selectionEnd);
    if (end < 0) end = value.length;
    text.setSelectionRange(start, end);
    return value.slice(start, end);
  }

  // A list or quote on the selected lines; pressed again on lines that all have it, it is
  // taken off (it stayed, with no key to remove it). ``has``: the lines' own marker. Lines
  // that were selected stay selected, so the key pressed again takes it off them all (a
  // second press touched the last line alone); at a caret, the caret goes after the marker,
  // to type on. Blank lines among others get no marker (an empty bullet).
  function prefixLines(prefixFor, strip, has) {
    var chosen = text.selectionStart !== text.selectionEnd;
    var lines = selectLines().split("\n");
    var filled = lines.filter(function (line) { return line.trim(); });
    var all = filled.length > 0 && filled.every(function (line) { return has.test(line); });
    var number = 0;
    var out = lines.map(function (line) {
      if (!line.trim() && filled.length) return line; // an empty line alone starts a list
      return all ? line.replace(has, "") : prefixFor(number++) + line.replace(strip, "");
    }).join("\n");
    if (chosen) replaceSelection(out, 0, out.length);
    else replaceSelection(out, out.length);
  }

  function heading(level) {
    var line = selectLines();
    var current = /^(#{1,6})\s*/.exec(line);
    var bare = current ? line.slice(current[0].length) : line;
    if (current && current[1].length === level) {
      // The same heading again turns it back into a paragraph.
      replaceSelection(bare, 0, bare.length);
      return;
    }
    var marks = "#".repeat(level) + " ";
    var words = bare || "Heading";
    replaceSelection(marks + words, marks.length, marks.length + words.length);
  }

  function link() {
    var label = selected() || "link text";
    var out = "[" + label + "](https://)";
    // Select the address, ready to be typed or pasted over.
    replaceSelection(out, label.length + 3, out.length - 1);
  }

  function seekHelp() {
    var inner = selected().trim() || "See a doctor or call your care team if:\n\n- the pain becomes severe or spreads\n- you notice numbness or weakness";
    var body = inner.split("\n").map(function (line) { return line ? "    " + line : ""; }).join("\n");
    var pad = blockPadding();
    var head = '!!! seek-help "When to seek help"\n';
    var out = pad.head + head + body + pad.tail;
    replaceSelection(out, pad.head.length + head.length + 4, pad.head.length + head.length + body.length);
  }

  /* Dialogs: opened over the editor; closing returns focus to where the editor was. */
  var savedSelection = null;
  // A text never clicked into has its caret at its start: an image or citation inserted from
  // the toolbar then went before the first line. It goes at the end instead.
  var caretPlaced = document.activeElement === text;
  text.addEventListener("focus", function () { caretPlaced = true; });
  function caretToEndIfUnplaced() {
    if (!caretPlaced) text.setSelectionRange(text.value.length, text.value.length);
  }
  function openDialog(name) {
    caretToEndIfUnplaced();
    savedSelection = [text.selectionStart, text.selectionEnd];
    var dialog = root.querySelector('[data-dialog="' + name + '"]');
    dialog.showModal();
    return dialog;
  }
  function restoreSelection() {
    text.focus();
    if (savedSelection) text.setSelectionRange(savedSelection[0], savedSelection[1]);
  }
  /* Closes a dialog that is about to insert at the editor's caret. The browser fires "close"
     later, as a task of its own: the caret is put back now, and "close" leaves it alone, or it
     would move the caret back before what was just inserted. */
  function closeToInsert(dialog) {
    dialog.close("keep-focus");
    restoreSelection();
  }
  Array.prototype.forEach.call(root.querySelectorAll("dialog"), function (dialog) {
    dialog.addEventListener("click", function (event) {
      if (event.target.closest("[data-close]")) dialog.close();
    });
    dialog.addEventListener("close", function () {
      if (dialog.returnValue !== "keep-focus") restoreSelection();
      dialog.returnValue = "";
    });
  });

  function references() {
    if (!refsBody) return [];
    return contentRows().map(function (row) {
      var key = row.querySelector('input[name$="-key"]').value.trim();
      var title = row.querySelector('input[name$="-title"]').value.trim();
      var publisher = row.querySelector('input[name$="-publisher"]').value.trim();
      var deleted = row.querySelector('input[name$="-DELETE"]');
      return { key: key, title: title, publisher: publisher, deleted: deleted && deleted.checked };
    }).filter(function (ref) { return ref.key && !ref.deleted; });
  }

  function cite() {
    var dialog = root.querySelector('[data-dialog="cite"]');
    var list = dialog.querySelector(".editor-citations");
    var refsNow = references();
    list.textContent = "";
    refsNow.forEach(function (ref, index) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "editor-citation";
      button.dataset.key = ref.key;
      button.textContent = (index + 1) + ". " + (ref.title || ref.key) +
        (ref.publisher ? " (" + ref.publisher + ")" : "") + " [@" + ref.key + "]";
      item.appendChild(button);
      list.appendChild(item);
    });
    dialog.querySelector(".editor-dialog-empty").hidden = refsNow.length > 0;
    openDialog("cite");
    var first = list.querySelector("button") || dialog.querySelector("[data-close]");
    first.focus();
  }
  root.querySelector('[data-dialog="cite"]').addEventListener("click", function (event) {
    var choice = event.target.closest(".editor-citation");
    if (!choice) return;
    closeToInsert(choice.closest("dialog"));
    var marker = "[@" + choice.dataset.key + "]";
    replaceSelection(marker, marker.length);
  });

  var actions = {
    bold: function () { wrap("**", "bold text"); },
    italic: function () { wrap("_", "italic text"); },
    h2: function () { heading(2); },
    h3: function () { heading(3); },
    link: link,
    bullets: function () { prefixLines(function () { return "- "; }, /^\s*([-*+]|\d+\.)\s+/, /^\s*[-*+]\s+/); },
    numbers: function () { prefixLines(function (i) { return (i + 1) + ". "; }, /^\s*([-*+]|\d+\.)\s+/, /^\s*\d+\.\s+/); },
    quote: function () { prefixLines(function () { return "> "; }, /^>\s?/, /^>\s?/); },
    "seek-help": seekHelp,
    cite: cite,
    image: function () { openImageDialog(null); },
    shortcuts: function () {
      openDialog("shortcuts").querySelector("[data-close]").focus();
    }
  };

  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button || button.disabled) return;
    caretToEndIfUnplaced();
    if (["cite", "image", "shortcuts"].indexOf(button.dataset.action) < 0) text.focus();
    actions[button.dataset.action]();
  });

  // One stop in the tab order; the arrow keys move along the toolbar.
  var tools = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
  tools.forEach(function (button, index) { button.tabIndex = index === 0 ? 0 : -1; });
  toolbar.addEventListener("keydown", function (event) {
    var index = tools.indexOf(document.activeElement);
    if (index < 0) return;
    var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tools.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    next = (next + tools.length) % tools.length;
    tools[index].tabIndex = -1;
    tools[next].tabIndex = 0;
    tools[next].focus();
  });

  // A narrow screen showing the preview hides the text: the toolbar changed it unseen (a
  // heading, a link, an image where the caret was left). Its buttons wait for "Show text".
  var narrow = window.matchMedia("(max-width: 1099px)"); // as admin-editor.css
  function toolsFollowTheText() {
    var textHidden = narrow.matches && panes.classList.contains("show-preview");
    tools.forEach(function (button) { button.disabled = textHidden; });
  }
  narrow.addEventListener("change", toolsFollowTheText);
  toggle.addEventListener("click", toolsFollowTheText);

  // The letters by what the key types (event.key), as Ctrl+S: on a Dvorak keyboard the key in a
  // US keyboard's B place types "x"; on a Russian one, by its place (shortcutLetter). The digits by their place (event.code): with Shift, or Alt
  // (AltGr on many layouts), the key types something else, a "*" or a "²".
  text.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey)) return;
    var key = event.code;
    var action = null;
    if (!event.shiftKey && !event.altKey) {
      action = { b: "bold", i: "italic", k: "link" }[shortcutLetter(event)];
    } else if (event.altKey && !event.shiftKey) {
      action = { Digit2: "h2", Digit3: "h3" }[key];
    } else if (event.shiftKey && !event.altKey) {
      action = { Digit8: "bullets", Digit7: "numbers", Digit9: "quote" }[key];
    }
    if (!action) return;
    event.preventDefault();
    actions[action]();
  });

  // Enter in a list item starts the next one ("- ", "2. ", indented as it is), as GitHub's and
  // WordPress's editors do: the new line had no marker, and the preview joined it to the item
  // above. Enter on an empty item ends the list with a blank line. Shift+Enter is a line break
  // within the item: two spaces (Markdown's line break) and the next line indented under the
  // item's words, where Enter goes on numbering. A plain line break there had no indent: the
  // preview ran it into the item ("2. second cont third") and the next Enter ended the list.
  var LIST_ITEM = /^(\s*)(?:([-*+])|(\d{1,9})([.)]))(\s+)/;

  // The item a line belongs to: its own marker, or that of the item above whose indented
  // lines (Shift+Enter's) it continues.
  function listItemOf(lineStart, before) {
    var item = LIST_ITEM.exec(before);
    if (item) return item;
    if (!/^\s+\S/.test(before)) return null;
    var start = lineStart;
    while (start > 0) {
      var above = text.value.lastIndexOf("\n", start - 2) + 1;
      var line = text.value.slice(above, start - 1);
      item = LIST_ITEM.exec(line);
      if (item) return item;
      if (!/^\s+\S/.test(line)) return null;
      start = above;
    }
    return null;
  }

  text.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.ctrlKey || event.metaKey || event.altKey ||
        event.isComposing || text.selectionStart !== text.selectionEnd) return;
    var caret = text.selectionStart;
    var lineStart = text.value.lastIndexOf("\n", caret - 1) + 1;
    var lineEnd = text.value.indexOf("\n", caret);
    var before = text.value.slice(lineStart, caret);
    var rest = text.value.slice(caret, lineEnd < 0 ? text.value.length : lineEnd);
    // Enter on the line Shift+Enter just began (its indent alone): that break is taken back
    // and the next item starts, as if Enter had been pressed at the item's end (it ended the
    // list, leaving a line of spaces and the item's two).
    if (!event.shiftKey && lineStart > 0 && /^ +$/.test(before) && !rest.trim()) {
      var aboveStart = text.value.lastIndexOf("\n", lineStart - 2) + 1;
      var aboveLine = text.value.slice(aboveStart, lineStart - 1);
      var broken = / {2}$/.test(aboveLine) && listItemOf(aboveStart, aboveLine);
      if (broken && before.length === broken[0].length) {
        event.preventDefault();
        text.setSelectionRange(lineStart - 3, caret + rest.length);
        var next = broken[2] || (parseInt(broken[3], 10) + 1) + broken[4];
        replaceSelection("\n" + broken[1] + next + broken[5]);
        return;
      }
    }
    var item = listItemOf(lineStart, before);
    if (!item) return;
    event.preventDefault();
    if (event.shiftKey) {
      var trailing = /( *)$/.exec(before)[1].length;
      replaceSelection(" ".repeat(Math.max(0, 2 - trailing)) + "\n" + " ".repeat(item[0].length));
      return;
    }
    if (before.length === item[0].length && !rest.trim() && LIST_ITEM.test(before)) {
      text.setSelectionRange(lineStart, caret);
      replaceSelection("\n");
      return;
    }
    var marker = item[2] || (parseInt(item[3], 10) + 1) + item[4];
    replaceSelection("\n" + item[1] + marker + item[5]);
  });

  /* --- Images: upload, with the alt text asked for ------------------------------------ */
  var imageDialog = root.querySelector('[data-dialog="image"]');
  var imageForm = imageDialog.querySelector(".editor-image-form");
  var imageChoose = imageDialog.querySelector('input[type="file"]');
  var imageAlt = imageDialog.querySelector('input[type="text"]');
  var imageError = imageDialog.querySelector(".errornote");
  var imageFileNote = imageDialog.querySelector(".editor-image-file");
  var imageUploaded = imageDialog.querySelector(".editor-image-uploaded");
  var imageChoices = imageDialog.querySelector(".editor-image-choices");
  var imageSubmit = imageForm.querySelector("[data-insert]");
  var pendingFile = null;
  var chosenUrl = null;

  function openImageDialog(file) {
    pendingFile = file;
    imageChoose.value = "";
    imageAlt.value = "";
    imageError.hidden = true;
    imageChoose.closest("p").hidden = Boolean(file);
    imageFileNote.hidden = !file;
    imageFileNote.textContent = file ? "Image: " + (file.name || "pasted image") : "";
    chooseUploaded(null);
    imageUploaded.hidden = true;
    imageFind.value = "";
    if (!file) loadUploaded(false);
    openDialog("image");
    (file ? imageAlt : imageChoose).focus();
  }

  /* An image uploaded before (listed under Articles › Images), chosen instead of a file, is
     inserted as it is. The newest come first; "Find by name or description" asks the server for the
     matching ones, "Show more" for the next ones. */
  var imageFind = imageDialog.querySelector('input[type="search"]');
  var imageMore = imageDialog.querySelector(".editor-image-more");
  var imageNone = imageDialog.querySelector(".editor-image-none");
  var uploadedShown = 0;
  var uploadedRequest = 0;
  var findTimer = null;

  function loadUploaded(more) {
    var query = imageFind.value.trim();
    var request = ++uploadedRequest;
    var address = new URL(config.dataset.uploadedUrl, window.location.href);
    if (query) address.searchParams.set("q", query);
    if (more) address.searchParams.set("offset", String(uploadedShown));
    fetch(address, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      return response.ok ? response.json() : { images: [], more: false };
    }).then(function (body) {
      if (request !== uploadedRequest) return; // a newer search answered, or will
      if (!more) {
        imageChoices.textContent = "";
        uploadedShown = 0;
        if (chosenUrl) chooseUploaded(null);
      }
      var added = body.images.map(uploadedChoice);
      imageChoices.append.apply(imageChoices, added);
      if (more && added.length) added[0].focus(); // where the reader's eyes go next
      uploadedShown += added.length;
      imageMore.hidden = !body.more;
      imageNone.textContent = uploadedShown || !query ? "" : "No uploaded image has “" + query + "” in its name or description.";
      if (!query && !more) imageUploaded.hidden = uploadedShown === 0 || Boolean(pendingFile);
    }).catch(function () { if (!query && !more) imageUploaded.hidden = true; });
  }

  function uploadedChoice(image) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "editor-image-choice";
    button.setAttribute("aria-pressed", "false");
    button.dataset.url = image.url;
    var thumb = document.createElement("img");
    thumb.src = image.thumb;
    thumb.alt = "";
    thumb.width = 96;
    thumb.height = Math.round(96 * image.height / image.width);
    // Uploads of one file all bear its name: the description a text gives it, the day and
    // the pixels tell them apart, seen (not only heard), as in WordPress's media library.
    var lines = [image.name];
    if (image.alt) lines.push("“" + image.alt + "”");
    lines.push(image.uploaded, image.width + " × " + image.height);
    var parts = lines.map(function (line, index) {
      var part = document.createElement("span");
      part.className = index ? "editor-image-detail" : "editor-image-name";
      part.textContent = line;
      return part;
    });
    // Named by the words it shows, in their order (a speech user says what they see); the
    // tooltip, which a screen reader gives as its description, says them in full.
    button.setAttribute("aria-label", lines.join(", ") + " pixels");
    button.title = image.name + (image.alt ? ", described as " + image.alt : "") + ", uploaded " + image.uploaded + ", " + image.width + " by " + image.height + " pixels";
    // Spaces between the lines (block boxes, so unseen): their text read as one, "2026" and
    // "600" ran together, and no longer matched the name.
    button.append(thumb);
    parts.forEach(function (part, index) { button.append(index ? " " : "", part); });
    return button;
  }

  imageFind.addEventListener("input", function () {
    clearTimeout(findTimer);
    findTimer = setTimeout(function () { loadUploaded(false); }, 250);
  });
  imageFind.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault(); // not the article form's submit
    clearTimeout(findTimer);
    loadUploaded(false);
  });
  imageMore.addEventListener("click", function () { loadUploaded(true); });

  function chooseUploaded(button) {
    chosenUrl = button ? button.dataset.url : null;
    imageChoices.querySelectorAll(".editor-image-choice").forEach(function (choice) {
      choice.setAttribute("aria-pressed", String(choice === button));
    });
    if (button) imageChoose.value = "";
    imageSubmit.textContent = chosenUrl ? "Insert" : "Upload and insert";
  }

  imageChoices.addEventListener("click", function (event) {
    var button = event.target.closest(".editor-image-choice");
    if (!button) return;
    chooseUploaded(button.getAttribute("aria-pressed") === "true" ? null : button);
  });
  imageChoose.addEventListener("change", function () {
    if (imageChoose.files && imageChoose.files.length) chooseUploaded(null);
  });

  function insertMarkdownImage(alt, url) {
    closeToInsert(imageDialog);
    var pad = blockPadding();
    var markdown = "![" + alt + "](" + url + ")";
    replaceSelection(pad.head + markdown + pad.tail, pad.head.length + markdown.length);
  }

  function showImageError(message) {
    imageError.textContent = message;
    imageError.hidden = false;
  }

  imageForm.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === imageAlt) {
      event.preventDefault(); // not the article form's submit
      insertImage();
    }
  });
  imageForm.querySelector("[data-insert]").addEventListener("click", insertImage);

  function insertImage() {
    var file = pendingFile || (imageChoose.files && imageChoose.files[0]);
    var alt = imageAlt.value.trim().replace(/[\[\]]/g, "");
    if (!file && !chosenUrl) { showImageError("Choose an image file, or one already uploaded."); imageChoose.focus(); return; }
    if (!alt) { showImageError("Describe the image: people who cannot see it read this instead."); imageAlt.focus(); return; }
    if (!file) { insertMarkdownImage(alt, chosenUrl); return; }
    var submit = imageSubmit;
    submit.disabled = true;
    submit.textContent = "Uploading…";
    uploadImage(file).then(function (body) {
      insertMarkdownImage(alt, body.url);
    }).catch(function (error) {
      showImageError(error.message || "The upload failed; your text is kept.");
    }).then(function () {
      submit.disabled = false;
      submit.textContent = "Upload and insert";
    });
  }

  text.addEventListener("dragover", function (event) {
    if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
      event.preventDefault();
      text.classList.add("drop-target");
    }
  });
  text.addEventListener("dragleave", function () { text.classList.remove("drop-target"); });
  text.addEventListener("drop", function (event) {
    text.classList.remove("drop-target");
    var file = event.dataTransfer && imageFrom(event.dataTransfer.files);
    if (!file) return;
    event.preventDefault();
    openImageDialog(file);
  });
  text.addEventListener("paste", function (event) {
    var file = event.clipboardData && imageFrom(event.clipboardData.items);
    if (!file) return;
    event.preventDefault();
    openImageDialog(file);
  });

  toolbar.hidden = false;
  hint.hidden = false;
})();
