// The moderation queue (and the comment's page): row actions without a page reload, Undo,
// and keyboard moderation. Without this script every button is a plain POST form that comes
// back to the same place in the queue, so nothing here is needed for the page to work.
(function () {
  "use strict";

  const KEYS = new Set(["a", "u", "s", "d", "z"]);

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    body = body || new FormData();
    body.set("csrfmiddlewaretoken", csrfToken());
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Fragment": "row", "X-CSRFToken": csrfToken() },
    });
  }

  function cards() {
    return Array.from(document.querySelectorAll("#result_list .qc"));
  }

  function focusCard(card) {
    if (!card) return;
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  // A card still waiting for a decision: on a tab of one state (Pending, Spam...), a card
  // still in it; on All, one not decided on this page.
  function waiting(card) {
    const tab = document.querySelector('.queue-tabs a[aria-current="page"]');
    const state = tab ? tab.dataset.state : "";
    if (state && state !== "all") return card.dataset.state === state;
    return !card.classList.contains("qc-done");
  }

  // The card a key decision moves on to: the next one still waiting (cards decided with the
  // mouse before are skipped), else the first waiting one above.
  function nextCard(card) {
    const all = cards();
    const i = all.indexOf(card);
    const after = all.slice(i + 1).concat(all.slice(0, i));
    return after.find(waiting) || null;
  }

  function showError(card, text) {
    let alert = card.querySelector(".qc-error");
    if (!alert) {
      alert = document.createElement("p");
      alert.className = "qc-error errornote";
      alert.setAttribute("role", "alert");
      card.appendChild(alert);
    }
    alert.textContent = text;
  }

  function replaceCard(card, html) {
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const fresh = holder.firstElementChild;
    card.replaceWith(fresh);
    fresh.classList.add("qc-done");
    return fresh;
  }

  // A card decided off the tab shown (Pending, Spam...) becomes a one-line notice in its place
  // (who, what was decided, Undo), as WordPress's Comments screen does with a row decided by its
  // row actions: the next card's buttons come up under the finger, where a full card kept for
  // its Undo put them a scroll away. On All every card stays in the tab, and whole.
  function collapse(card) {
    card.classList.toggle("qc-gone", !inTab(card));
  }

  // A second tap where a decision was just tapped (a double tap, an impatient tap) decides or
  // undoes nothing for a moment: Unapprove and Undo came where Approve was, and after a
  // collapse the next card's buttons come up there. The moment runs from the tap, and again
  // from the card's change (a slow answer moves things under the finger later).
  const GUARD_MS = 500;
  const GUARD_PX = 48;
  let lastTap = null;

  function guardTap(event) {
    if (event) lastTap = { x: event.clientX, y: event.clientY, until: 0 };
    if (lastTap) lastTap.until = Math.max(lastTap.until, performance.now() + GUARD_MS);
  }

  function guarded(event) {
    if (!lastTap || event.detail === 0 || performance.now() > lastTap.until) return false;
    return Math.hypot(event.clientX - lastTap.x, event.clientY - lastTap.y) <= GUARD_PX;
  }

  // What a decision does to a reply typed but not published, in the words of its question.
  const DISCARDING = {
    unapprove: "send the comment back to pending",
    spam: "mark the comment as spam",
    remove: "remove the comment",
  };

  // A decision refused: its button is usable again, and the focus, lost when the button was
  // disabled under it, goes back where the moderator was: to the reply box for a reply
  // (refused as empty, say), else to the button.
  function refocus(card, button, reply) {
    button.disabled = false;
    const box = reply && button.classList.contains("qc-send") ? reply : button;
    const active = document.activeElement;
    if (!active || active === document.body || card.contains(active)) box.focus();
  }

  async function act(card, button, fromKeyboard, tap) {
    const body = new FormData();
    const reply = card.querySelector("textarea");
    // A typed reply is never lost to a decision: Approve publishes it too (WordPress's
    // "Approve and Reply": publishing a reply approves a pending comment); any other
    // decision asks first, as WordPress does before discarding an unsaved reply.
    if (reply && reply.value.trim() && !button.classList.contains("qc-send")) {
      if (button.classList.contains("qc-approve")) {
        button = card.querySelector(".qc-send");
      } else {
        const action = button.getAttribute("formaction").split("/").slice(-2)[0];
        const doing = DISCARDING[action] || "go ahead";
        if (!window.confirm("Your reply is not published. Discard it and " + doing + "?")) {
          openReply(card);
          return;
        }
        reply.value = "";
      }
    }
    if (reply && button.classList.contains("qc-send")) body.set(reply.name, reply.value);
    // The state the card shows: a comment decided otherwise since is not overruled unseen.
    if (card.dataset.state) body.set("seen", card.dataset.state);
    if (tap) guardTap(tap); // not before: a tap that only answered "no" decided nothing
    button.disabled = true;
    let response;
    try {
      response = await post(button.getAttribute("formaction"), body);
    } catch (error) {
      refocus(card, button, reply);
      showError(card, "The server could not be reached; nothing changed. Try again.");
      return;
    }
    if (response.ok && response.headers.get("X-Changed-Since")) {
      // Changed since the page showed it: the card as it is now, open, saying so, its
      // buttons ready to decide again knowingly; the tabs follow its move.
      updateCounts(response);
      const previous = card.dataset.state;
      const action = button.getAttribute("formaction");
      const now = replaceCard(card, await response.text());
      moveCount(previous, now.dataset.state);
      const again = now.querySelector('[formaction="' + action + '"]');
      (again || now).focus();
      return;
    }
    if (!response.ok) {
      refocus(card, button, reply);
      const text = response.status === 403
        ? "You may not moderate comments; nothing changed."
        : (await response.text()) || "That did not work; nothing changed.";
      showError(card, text.length > 300 ? "That did not work; nothing changed." : text);
      return;
    }
    updateCounts(response);
    const before = card.dataset.state;
    const fresh = replaceCard(card, await response.text());
    collapse(fresh);
    if (tap) guardTap();
    moveCount(before, fresh.dataset.state);
    syncSelection();
    if (button.classList.contains("qc-send")) {
      addToTab("published", 1); // the reply itself, published as the site
      addToTab("all", 1);
    }
    const done = pageDone();
    if (fromKeyboard) {
      const next = nextCard(fresh);
      if (next) focusCard(next);
      else if (done) done.querySelector("a, strong").focus();
      else focusCard(fresh);
    } else {
      fresh.focus({ preventScroll: true });
    }
  }

  // On the Pending tab, once no card on the page is waiting: the decided cards stay (for
  // Undo) but have left the queue, so the list's own page links now skip comments (page 2
  // starts 20 further on) or lead nowhere. Say the page is done and link to the queue's
  // first page, same search and filters, where the next waiting comments now are; a key
  // decision on the last card moves there, so Enter goes on. Undo takes it away again.
  function pageDone() {
    const tab = document.querySelector('.queue-tabs a[data-state="pending"]');
    let notice = document.getElementById("qc-page-done");
    const waiting = cards().some(function (card) {
      return card.dataset.state === "pending";
    });
    if (!tab || tab.getAttribute("aria-current") !== "page" || waiting) {
      if (notice) notice.remove();
      return null;
    }
    if (!notice) {
      notice = document.createElement("p");
      notice.id = "qc-page-done";
      notice.className = "queue-page-done";
      notice.setAttribute("role", "status");
      document.getElementById("result_list").insertAdjacentElement("afterend", notice);
    }
    const count = tab.querySelector(".count");
    const none = count && count.textContent === "(0)";
    notice.textContent = "Every comment on this page is decided. ";
    const next = document.createElement(none ? "strong" : "a");
    if (none) {
      next.tabIndex = -1; // focused by script after a key; the link stays in the Tab order
      next.textContent = "No comments are waiting for moderation.";
    } else {
      next.href = tab.href;
      next.textContent = "Next waiting comments";
    }
    notice.appendChild(next);
    return notice;
  }

  // The Pending tab and the sidebar's badge follow each decision.
  function updateCounts(response) {
    const pending = response.headers.get("X-Pending-Count");
    if (pending === null) return;
    const tab = document.querySelector('.queue-tabs a[data-state="pending"] .count');
    if (tab) tab.textContent = "(" + pending + ")";
    document.querySelectorAll(".nav-badge").forEach(function (badge) {
      badge.firstChild.textContent = pending;
    });
  }

  // The other tabs follow each card from one state to another, as WordPress's status links
  // do; a count shown as "10,000+" stays as it is.
  function addToTab(state, step) {
    if (state === "pending") return; // the server's own count (above)
    const count = document.querySelector('.queue-tabs a[data-state="' + state + '"] .count');
    const match = count && count.textContent.match(/^\(([\d,]+)\)$/);
    if (!match) return;
    const n = Math.max(0, parseInt(match[1].replace(/,/g, ""), 10) + step);
    count.textContent = "(" + n.toLocaleString("en-US") + ")";
  }

  function moveCount(from, to) {
    if (!from || !to || from === to) return;
    addToTab(from, -1);
    addToTab(to, 1);
    const shown = document.querySelector('.queue-tabs a[aria-current="page"]');
    const tab = shown ? shown.dataset.state : "";
    if (tab === from) countListed(-1);
    else if (tab === to) countListed(1);
  }

  // The list's own counts ("20 results" by the search box, "20 comments" under the list)
  // follow a card leaving the tab or coming back, as WordPress's "n items" does: they said
  // 20 beside "Pending (12)".
  function countListed(step) {
    const places = document.querySelectorAll("#changelist-search .quiet, #changelist .paginator");
    places.forEach(function (place) {
      place.childNodes.forEach(function (node) {
        if (node.nodeType !== Node.TEXT_NODE) return;
        node.textContent = node.textContent.replace(
          /(\d[\d,]*) (results?|comments?)\b/,
          function (all, number, noun) {
            const n = Math.max(0, parseInt(number.replace(/,/g, ""), 10) + step);
            const one = noun.replace(/s$/, "");
            return n.toLocaleString("en-US") + " " + (n === 1 ? one : one + "s");
          }
        );
      });
    });
    // The bulk actions' "Select all 35 comments" and "All 35 selected" (every page of the
    // tab, as the server counts it when the action runs) said 35 after cards had left.
    document.querySelectorAll(".actions .question a, .actions .all").forEach(function (place) {
      place.textContent = place.textContent.replace(/\d[\d,]*/, function (number) {
        const n = Math.max(0, parseInt(number.replace(/,/g, ""), 10) + step);
        return n.toLocaleString("en-US");
      });
    });
  }

  // A card still in the tab shown (a decided one has left Pending; on All every card stays).
  function inTab(card) {
    const tab = document.querySelector('.queue-tabs a[aria-current="page"]');
    const state = tab ? tab.dataset.state : "";
    return !state || state === "all" || card.dataset.state === state;
  }

  // The bulk actions' "0 of 20 selected" counts the rows still in the tab: a card that left it
  // (decided, with Undo) has its tick box unticked and off until Undo brings it back, so a
  // bulk action, or "select all on this page", leaves it as decided. It said 20 after every
  // card on the page had left Pending.
  function syncSelection() {
    const counter = document.querySelector(".actions .action-counter");
    let listed = 0;
    let ticked = 0;
    cards().forEach(function (card) {
      const box = card.closest("tr").querySelector("input.action-select");
      if (!box) return;
      const stays = inTab(card);
      if (!stays && box.checked) {
        box.checked = false;
        box.closest("tr").classList.remove("selected");
      }
      box.disabled = !stays;
      if (stays) listed += 1;
      if (box.checked) ticked += 1;
    });
    if (!counter || counter.dataset.actionsIcnt === undefined) return;
    // Every row still in the tab ticked is "all on this page": the toggle says so and "Select
    // all n" is offered, as Django does when every box is ticked (it counted the ones off).
    const toggle = document.getElementById("action-toggle");
    const across = document.querySelector(".actions input.select-across");
    const all = listed > 0 && ticked === listed;
    if (toggle) toggle.checked = all;
    if (!across || across.value !== "1") {
      document.querySelectorAll(".actions .question").forEach(function (question) {
        question.classList.toggle("hidden", !all);
      });
    }
    counter.dataset.actionsIcnt = String(listed);
    counter.textContent = counter.textContent.replace(
      /^(\s*)\d[\d,]*(\D+)\d[\d,]*/,
      function (all, space, between) {
        return space + ticked + between + listed;
      }
    );
  }

  // Django's "select all on this page" (and a shift-click's range) ticks every box, the ones
  // off too: untick those again, and count again.
  document.addEventListener("click", function (event) {
    if (event.target.id === "action-toggle") syncSelection();
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("#result_list input.action-select")) syncSelection();
  });

  async function undo(link, tapped) {
    // One Undo at a time per link: a second u (or tap) while it is on its way posted it
    // again, and the answer (nothing left to undo) reloaded the page.
    if (link.dataset.busy) return;
    link.dataset.busy = "1";
    const card = link.closest(".qc");
    // Undo from a message above no card (the comment's own page): the answer is that message,
    // shown after the reload, not the card (the page reloaded saying nothing).
    const body = new FormData();
    if (!card) body.set("card", "none");
    let response;
    try {
      response = await post(link.href, body);
    } catch (error) {
      delete link.dataset.busy;
      if (card) showError(card, "The server could not be reached; nothing changed. Try again.");
      return;
    }
    updateCounts(response);
    if (card && response.status === 200) {
      const before = card.dataset.state;
      const fresh = replaceCard(card, await response.text());
      // Put back as it was: waiting again, drawn and moved to as any card not decided (it
      // stayed faded, and on All the keys skipped it).
      fresh.classList.remove("qc-done");
      if (tapped) guardTap();
      moveCount(before, fresh.dataset.state);
      syncSelection();
      pageDone();
      focusCard(fresh);
    } else {
      window.location.reload();
    }
  }

  // The guard, before anything else hears the tap: in the list, where the next card's links
  // and tick box come up as well as its buttons.
  document.addEventListener("click", function (event) {
    if (event.target.closest("#result_list") && guarded(event)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.undo-link");
    const button = event.target.closest(".qc button[formaction]");
    const ours = button && button.getAttribute("form") === "changelist-form";
    if (link) {
      event.preventDefault();
      if (event.detail !== 0) guardTap(event);
      undo(link, event.detail !== 0);
      return;
    }
    if (ours) {
      event.preventDefault();
      act(button.closest(".qc"), button, event.detail === 0, event.detail !== 0 && event);
    }
  });

  // Keyboard moderation, on the queue only.

  // Inputs that take no typing: a key pressed on them (a row's checkbox just ticked with the
  // mouse) is a shortcut. Every other input, a textarea, a select or an editable element
  // keeps its keys.
  const NOT_TYPED = new Set(["checkbox", "radio", "button", "submit", "reset", "image", "file",
    "range", "color", "hidden"]);

  function typing(target) {
    if (target.closest("textarea, select, [contenteditable]:not([contenteditable='false'])")) {
      return true;
    }
    return target.matches("input") && !NOT_TYPED.has(target.type);
  }

  // The card the keys act on: the one focused, or the one whose row holds the focus (its
  // checkbox, say).
  function current() {
    const active = document.activeElement;
    const row = active ? active.closest("#result_list tbody tr") : null;
    return row ? row.querySelector(".qc") : null;
  }

  // A card's reply box is after Open, outside its Reply (details), so that Tab follows the
  // drawing; the box shows while Reply is open.
  function openReply(card) {
    const details = card.querySelector("details.qc-reply");
    if (!details) return false;
    details.open = true;
    card.querySelector(".qc-reply-box textarea").focus();
    return true;
  }

  // Esc in a reply box closes it (asking first if it holds a reply) and gives the keys back
  // to its card.
  function closeReply(details) {
    const box = details.closest(".qc").querySelector(".qc-reply-box textarea");
    if (box.value.trim() && !window.confirm("Discard your reply?")) return;
    box.value = "";
    details.open = false;
    focusCard(details.closest(".qc"));
  }

  // Reply opened with the mouse (or Enter on it) puts the cursor in its box, as r does and as
  // WordPress's Reply does: what is typed next is the reply. The focus stayed on Reply, where
  // each letter of a reply was a shortcut deciding on a comment.
  document.addEventListener("click", function (event) {
    const summary = event.target.closest(".qc details.qc-reply > summary");
    if (!summary || summary.parentElement.open) return;
    event.preventDefault();
    openReply(summary.closest(".qc"));
  });

  function openKeys() {
    const dialog = document.getElementById("queue-keys");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", function (event) {
    if (!document.getElementById("queue-keys")) return; // the queue, not the comment's page
    const inBox = event.target.closest(".qc-reply-box, details.qc-reply");
    const replying = inBox && inBox.closest(".qc").querySelector("details.qc-reply[open]");
    if (event.key === "Escape" && replying) {
      event.preventDefault();
      closeReply(replying);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    // An open Reply (its summary focused, the box not yet clicked) takes no shortcut: the
    // letters of a reply typed there must never approve, spam or remove anything.
    if (replying) return;
    if (document.querySelector("dialog[open]")) return;
    const key = event.key;
    const card = current();
    if (key === "?") {
      event.preventDefault();
      openKeys();
    } else if (key === "j" || key === "k") {
      event.preventDefault();
      const all = cards();
      const i = all.indexOf(card);
      if (!card) focusCard(all[0]);
      else focusCard(all[key === "j" ? Math.min(i + 1, all.length - 1) : Math.max(i - 1, 0)]);
    } else if (card && card.classList.contains("qc-gone")) {
      // A folded card offers its Undo only: u (Unapprove, "back") and z (WordPress's undo)
      // take it; a, s, d, r and x act on nothing hidden.
      const link = card.querySelector("a.undo-link");
      if (link && (key === "u" || key === "z")) {
        event.preventDefault();
        undo(link, false);
      }
    } else if (card && KEYS.has(key)) {
      const button = card.querySelector('.qc-actions button[data-key="' + key + '"]');
      // Not a collapsed card's hidden buttons: its Undo is what it offers.
      if (button && !button.disabled && button.getClientRects().length) {
        event.preventDefault();
        act(card, button, true);
      }
    } else if (card && key === "r") {
      if (openReply(card)) event.preventDefault();
    } else if (card && key === "x") {
      const box = card.closest("tr").querySelector("input.action-select");
      if (box) {
        event.preventDefault();
        box.click();
      }
    }
  });

  // A long comment's whole text is hidden until found (card.html): when find-in-page or a
  // #:~:text= link reveals it, its toggle opens too (Show less, the preview gone, a screen
  // reader told it is expanded). The attribute stays while the toggle is open (the style sheet
  // shows the text): without script, a text found with the toggle closed is what is shown
  // (admin-moderation.css), and closing the toggle leaves it findable.
  document.addEventListener("beforematch", function (event) {
    const more = event.target.matches(".qc-full") &&
      event.target.parentElement.querySelector(":scope > .qc-more");
    if (more) more.open = true;
  }, true);
  document.addEventListener("toggle", function (event) {
    if (!event.target.matches(".qc-more")) return;
    const full = event.target.parentElement.querySelector(":scope > .qc-full");
    if (full && !full.hidden) full.setAttribute("hidden", "until-found");
  }, true);

  // A reply box is not one of the list's "editable fields": the bulk actions' form carries it,
  // and the server gives it back, so Django's warning that running an action loses changes
  // (actions.js, set off by any change in the list) would be wrong.
  document.addEventListener("change", function (event) {
    if (event.target.matches(".qc-reply-box textarea")) event.stopPropagation();
  }, true);

  // A reply typed but not published is lost by leaving the page (a tab, a page of the list,
  // Open, the article, Back): the browser asks first, as WordPress's Comments screen does. Not
  // when the page's own form is sent (a bulk action): the server gives every box back. A
  // published reply leaves an empty box behind (its card is replaced).
  let sending = false;
  window.addEventListener("submit", function (event) {
    if (event.defaultPrevented || event.target.id !== "changelist-form") return;
    // A bulk decision on ticked comments with a reply typed under them: asked first, as a
    // row's Spam or Remove asks (the reply came back only quoted in a message).
    const select = event.target.querySelector('select[name="action"]');
    const action = select && select.value;
    if (action && action !== "approve") {
      const typed = Array.from(document.querySelectorAll("#result_list input.action-select:checked"))
        .map(function (box) { return box.closest("tr") && box.closest("tr").querySelector(".qc-reply-box textarea"); })
        .filter(function (box) { return box && box.value.trim() !== ""; });
      const doing = select.options[select.selectedIndex].text.toLowerCase();
      const question = (typed.length === 1 ? "Your reply is not published. Discard it and "
        : "Your " + typed.length + " replies are not published. Discard them and ") + doing + "?";
      if (typed.length && !window.confirm(question)) {
        event.preventDefault();
        typed[0].focus();
        return;
      }
    }
    sending = true;
  });
  window.addEventListener("pageshow", function () {
    sending = false; // back from the next page (the back-forward cache)
  });
  window.addEventListener("beforeunload", function (event) {
    if (sending) return;
    const typed = Array.from(document.querySelectorAll(".qc-reply-box textarea")).some(function (box) {
      return box.value.trim() !== "";
    });
    if (typed) {
      event.preventDefault();
      event.returnValue = ""; // older browsers ask only with this set
    }
  });

  // The comment's page: a button that puts the site's crisis resources (Comments > Crisis
  // support, in the box's data-crisis-reply) in the reply, after what is typed there, for a
  // moderator answering a reader's worry about the writer. Without script, no button.
  function offerCrisisReply(box) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "crisis-reply-insert";
    button.textContent = "Insert the crisis resources";
    button.addEventListener("click", function () {
      const typed = box.value.replace(/\s+$/, "");
      // Pressed again (or after typing below them): the resources are there once, not twice.
      if (!typed.replace(/\r\n/g, "\n").includes(box.dataset.crisisReply)) {
        box.value = (typed ? typed + "\n\n" : "") + box.dataset.crisisReply;
      }
      // Tall enough to read the whole reply before saving it (a CSSOM style: CSP allows it).
      box.style.height = box.scrollHeight + 4 + "px";
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    });
    // Under the box (the admin sets its label and box side by side), above its help.
    (box.closest(".flex-container") || box).insertAdjacentElement("afterend", button);
  }

  document.addEventListener("DOMContentLoaded", function () {
    const opener = document.querySelector("[data-keys-open]");
    if (opener) {
      opener.hidden = false;
      opener.addEventListener("click", openKeys);
    }
    document.querySelectorAll("textarea[data-crisis-reply]").forEach(offerCrisisReply);
  });
})();
