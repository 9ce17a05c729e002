// The reading page: turn a text selection into offsets, show the tagging toolbar,
// filter what is shown, and the keyboard. Requests go through htmx; this file does what
// htmx cannot (selections, positions, keys, retries).
//
// Other scripts can hook in through events dispatched on `document`:
//   annotator:annotation-created   detail {id, uuid}  a new annotation is on the page (sent by the server)
//   annotator:highlight-activated  detail {id, element}  an annotation was opened or moved to (j/k, Tab, click)
//   annotator:filters-changed      detail {shown, total}  the panel filters changed what is visible
(function () {
  "use strict";

  const PARAGRAPH_BREAK = "\n\n";
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  const body = () => $("#article-body");
  const toolbar = () => $("#toolbar");
  const popover = () => $("#popover");
  const chooser = () => $("#chooser");
  const narrow = () => window.matchMedia("(max-width: 40rem)").matches;

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(`annotator:${name}`, { detail: detail }));
  }

  // ---- selection → UTF-16 offsets -------------------------------------------------

  function firstRun(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    return node.matches("[data-u]") ? node : node.querySelector("[data-u]");
  }

  function lastRun(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const runs = node.matches("[data-u]") ? [node] : node.querySelectorAll("[data-u]");
    return runs.length ? runs[runs.length - 1] : null;
  }

  function runEnd(run) {
    return Number(run.dataset.u) + run.textContent.length;
  }

  // Offset (UTF-16 units into the canonical text) of a DOM boundary point inside the body.
  function boundaryOffset(container, offset) {
    if (container.nodeType === Node.TEXT_NODE) {
      return Number(container.parentElement.closest("[data-u]").dataset.u) + offset;
    }
    const children = container.childNodes;
    for (let i = offset; i < children.length; i++) {
      const run = firstRun(children[i]);
      if (run) return Number(run.dataset.u);
    }
    for (let i = Math.min(offset, children.length) - 1; i >= 0; i--) {
      const run = lastRun(children[i]);
      if (run) return runEnd(run);
    }
    const run = container.closest("[data-u]");
    return run ? Number(run.dataset.u) : 0;
  }

  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      const position = document.caretPositionFromPoint(x, y);
      return position && { node: position.offsetNode, offset: position.offset };
    }
    const range = document.caretRangeFromPoint && document.caretRangeFromPoint(x, y);
    return range && { node: range.startContainer, offset: range.startOffset };
  }

  // The selection clipped to the article body, as {start, end, quote, rect} or null.
  function measureSelection() {
    const selection = window.getSelection();
    const root = body();
    if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0).cloneRange();
    if (!range.intersectsNode(root)) return null;
    if (!root.contains(range.startContainer)) range.setStart(root, 0);
    if (!root.contains(range.endContainer)) range.setEnd(root, root.childNodes.length);
    const start = boundaryOffset(range.startContainer, range.startOffset);
    const end = boundaryOffset(range.endContainer, range.endOffset);
    if (!(end > start)) return null;
    // The quote is read from the DOM paragraph by paragraph and joined the way the
    // canonical text joins paragraphs; the server checks it against its own text.
    const pieces = [];
    for (const paragraph of $$(".para", root)) {
      if (!range.intersectsNode(paragraph)) continue;
      const part = document.createRange();
      part.selectNodeContents(paragraph);
      if (paragraph.contains(range.startContainer) || paragraph === range.startContainer) {
        part.setStart(range.startContainer, range.startOffset);
      }
      if (paragraph.contains(range.endContainer) || paragraph === range.endContainer) {
        part.setEnd(range.endContainer, range.endOffset);
      }
      pieces.push(part.toString());
    }
    // A range ending at the very start of the next paragraph intersects it with nothing.
    const quote = pieces.join(PARAGRAPH_BREAK);
    if (!quote.trim()) return null;
    return { start: start, end: end, quote: quote, rect: range.getBoundingClientRect() };
  }

  // Size of a passage as the server counts it: code points of the trimmed quote.
  function sizeOf(quote) {
    const trimmed = quote.trim();
    return { characters: Array.from(trimmed).length, paragraphs: trimmed.split(PARAGRAPH_BREAK).length };
  }

  function describeSize(size) {
    const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
    return `${plural(size.characters, "character")}, ${plural(size.paragraphs, "paragraph")}`;
  }

  function isLong(size) {
    const root = body();
    return (
      size.characters > Number(root.dataset.longChars || 600) ||
      size.paragraphs > Number(root.dataset.longParagraphs || 3)
    );
  }

  // "first words … last words": enough to see where a selection starts and ends.
  function preview(quote) {
    const words = quote.trim().split(/\s+/);
    return words.length > 6 ? `${words.slice(0, 3).join(" ")} … ${words.slice(-3).join(" ")}` : words.join(" ");
  }

  // ---- placing floating panels ------------------------------------------------------

  // Above the anchor when there is room, else below, else beside it; on narrow screens
  // the stylesheet makes it a bottom sheet and it is not positioned here.
  function place(element, rect) {
    element.hidden = false;
    if (narrow()) {
      element.style.top = "";
      element.style.left = "";
      return;
    }
    const margin = 8;
    const width = element.offsetWidth;
    const height = element.offsetHeight;
    const viewWidth = document.documentElement.clientWidth;
    const viewHeight = window.innerHeight;
    let top;
    let left = rect.left;
    if (rect.top - height - margin >= margin) {
      top = rect.top - height - margin;
    } else if (rect.bottom + margin + height <= viewHeight - margin) {
      top = rect.bottom + margin;
    } else {
      top = Math.min(Math.max(margin, rect.top), viewHeight - height - margin);
      left = rect.right + margin + width <= viewWidth - margin ? rect.right + margin : rect.left - width - margin;
    }
    left = Math.min(Math.max(margin, left), viewWidth - width - margin);
    element.style.top = `${Math.max(margin, top) + window.scrollY}px`;
    element.style.left = `${left + window.scrollX}px`;
  }

  // ---- toolbar ---------------------------------------------------------------------

  const form = () => $("#annotate-form");

  function fillForm(measured) {
    const fields = form().elements;
    fields.start.value = measured.start;
    fields.end.value = measured.end;
    fields.quote.value = measured.quote;
  }

  function setHint(text) {
    const hint = $(".toolbar-hint", toolbar());
    hint.textContent = text || "";
    hint.hidden = !text;
  }

  function hideConfirm() {
    const confirm = $(".toolbar-confirm", toolbar());
    if (confirm) confirm.hidden = true;
    pendingLabel = null;
  }

  function showToolbar(measured) {
    const bar = toolbar();
    if (!bar || !body().hasAttribute("data-can-annotate")) return;
    fillForm(measured);
    $(".toolbar-preview", bar).textContent = `“${preview(measured.quote)}”`;
    $(".toolbar-size", bar).textContent = describeSize(sizeOf(measured.quote));
    hideConfirm();
    setHint("");
    place(bar, measured.rect);
  }

  function hideToolbar() {
    const bar = toolbar();
    if (bar && !bar.hidden) {
      bar.hidden = true;
      form().elements.note.value = "";
      hideConfirm();
      setHint("");
    }
  }

  // Choosing a label re-reads the selection, so a label picked the instant the mouse
  // is released tags what is selected then.
  function refreshFromSelection() {
    const measured = measureSelection();
    if (measured) fillForm(measured);
  }

  let pendingLabel = null; // the label chosen for a long tag, waiting for confirmation

  function labelButton(labelId) {
    return $(`#toolbar .label-button[data-label="${labelId}"]`);
  }

  function chooseLabel(labelId) {
    if (inFlight) return;
    refreshFromSelection();
    const size = sizeOf(form().elements.quote.value);
    if (isLong(size)) {
      pendingLabel = labelId;
      const confirm = $(".toolbar-confirm", toolbar());
      $(".confirm-text", confirm).textContent =
        `This tag is long: ${describeSize(size)}. Save it as ${labelButton(labelId).dataset.name}?`;
      confirm.hidden = false;
      $("button.primary", confirm).focus();
      return;
    }
    createAnnotation(labelId, false);
  }

  // ---- sending, failures and retry ------------------------------------------------------

  let inFlight = false;
  let retry = null; // how to repeat the last request that got no proper answer

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16)); // plain-HTTP pages lack randomUUID
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // One create attempt: its own uuid, which a retry sends again so the server can tell
  // a repeat from a new annotation.
  function createAnnotation(labelId, confirmed) {
    const fields = form().elements;
    sendAttempt({
      start: fields.start.value,
      end: fields.end.value,
      quote: fields.quote.value,
      note: fields.note.value,
      label: String(labelId),
      confirmed: confirmed ? "1" : "",
      uuid: newUuid(),
    });
  }

  function sendAttempt(attempt) {
    const fields = form().elements;
    for (const [name, value] of Object.entries(attempt)) fields[name].value = value;
    inFlight = true;
    htmx.ajax("POST", form().dataset.url, { source: form(), swap: "none" }).catch(() => {});
    retry = () => sendAttempt(attempt);
  }

  function showFailure(text) {
    const box = $("#messages");
    box.replaceChildren();
    const message = document.createElement("p");
    message.className = "message message-error";
    message.setAttribute("role", "alert");
    message.textContent = `${text} `;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "retry";
    button.dataset.action = "retry";
    button.textContent = "Retry";
    message.append(button);
    box.append(message);
  }

  // A refusal (4xx) carries its message and htmx swaps it into the message area. Under
  // DEBUG, django-htmx's helper would replace the whole document with any 4xx: keep these
  // responses from reaching it (it listens on document; we stop them at <body>).
  document.body.addEventListener("htmx:beforeOnLoad", (event) => {
    if (event.detail.xhr && event.detail.xhr.status >= 400) event.stopPropagation();
  });
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status >= 400 && !xhr.getResponseHeader("HX-Retarget")) event.detail.shouldSwap = false;
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const detail = event.detail;
    const xhr = detail.xhr;
    const status = xhr ? xhr.status : 0;
    const config = detail.requestConfig || {};
    if (detail.elt === form()) inFlight = false;
    if (status >= 200 && status < 300) {
      if (config.verb === "post") {
        const fromEditor = popover().contains(detail.elt);
        const fromToolbar = toolbar() && toolbar().contains(document.activeElement);
        retry = null;
        hideToolbar();
        closePopover({ refocus: false });
        window.getSelection().removeAllRanges();
        // Focus goes back where the change came from: the editor's highlight, or for a
        // tag saved from the toolbar, the new highlight (see annotation-created below).
        if (fromEditor) refocusAfterSwap = returnFocus;
        focusNewHighlight = fromToolbar;
      }
      return;
    }
    if (status >= 400 && status < 500 && xhr.getResponseHeader("HX-Retarget")) {
      retry = null; // refused with a reason, shown in the message area: repeating would not help
      return;
    }
    if (detail.elt !== form()) {
      const values = config.formData ? Object.fromEntries(config.formData) : {};
      const source = detail.elt;
      const target = config.target;
      retry = () =>
        htmx
          .ajax(config.verb.toUpperCase(), config.path, {
            source: source,
            target: target,
            values: values,
            swap: target && target.id === "popover" ? "innerHTML" : "none",
          })
          .catch(() => {});
    }
    const what = config.verb === "get" ? "Not loaded" : "Not saved";
    const reason = status ? `the server answered ${status}` : "the server did not answer";
    showFailure(status >= 500 || !status ? `${what} — the server did not answer; retry.` : `${what} — ${reason}; retry.`);
  });

  // ---- pointer selections ----------------------------------------------------------

  // While a pointer is down the selection is still being dragged out: the toolbar waits
  // for its release. A drag that wanders out of the article body (into the panel, or
  // over a toolbar) ends where the pointer last was inside the body.
  const OWN_WIDGETS = "#toolbar, #messages, #popover, #chooser, #help, .panel-toggle";
  let pointerDown = false;
  let dragging = false;
  let lastInside = null;
  let selectionTimer = null;

  document.addEventListener("pointerdown", (event) => {
    clearTimeout(selectionTimer); // a new press cancels any toolbar still pending
    if (event.target.closest && event.target.closest(OWN_WIDGETS)) return;
    pointerDown = true;
    dragging = true;
    lastInside = null;
    hideToolbar();
    // Chrome starts no text selection on a focusable element: a highlight's tab stop
    // steps aside while the pointer is down, so a drag can begin inside a highlight.
    const stop = event.target.closest && event.target.closest("#article-body mark[tabindex]");
    if (stop) {
      stop.removeAttribute("tabindex");
      pressedStop = stop;
    }
  });
  document.addEventListener("pointermove", (event) => {
    if (!pointerDown) return;
    const root = body();
    if (!root || !root.contains(event.target)) return;
    const caret = caretAt(event.clientX, event.clientY);
    if (caret && root.contains(caret.node)) lastInside = caret;
  });
  let pressedStop = null;
  document.addEventListener("pointerup", () => {
    if (pressedStop) {
      const stop = pressedStop;
      setTimeout(() => (stop.tabIndex = 0), 0);
      pressedStop = null;
    }
    if (!pointerDown) return;
    pointerDown = false;
    clearTimeout(selectionTimer);
    selectionTimer = setTimeout(onSelectionSettled, 10);
  });
  document.addEventListener("selectionchange", () => {
    if (pointerDown) return;
    clearTimeout(selectionTimer);
    selectionTimer = setTimeout(onSelectionSettled, 150);
  });

  function clipDragToBody() {
    const selection = window.getSelection();
    const root = body();
    if (!selection.rangeCount || selection.isCollapsed || root.contains(selection.focusNode)) return;
    if (lastInside && root.contains(selection.anchorNode)) {
      selection.setBaseAndExtent(selection.anchorNode, selection.anchorOffset, lastInside.node, lastInside.offset);
    }
  }

  function onSelectionSettled() {
    const bar = toolbar();
    if (bar && bar.contains(document.activeElement)) return;
    if (dragging) {
      clipDragToBody();
      dragging = false;
      lastInside = null;
    }
    const measured = measureSelection();
    if (measured) showToolbar(measured);
    else hideToolbar();
    placeCaret();
  }

  // ---- caret mode: selecting with the keyboard ------------------------------------------

  // Focus the article (Tab) and a caret appears: arrows move it, Ctrl+arrows by word,
  // Shift extends the selection, and a label key tags it.
  const CARET_KEYS = {
    ArrowLeft: ["backward", "character"],
    ArrowRight: ["forward", "character"],
    ArrowUp: ["backward", "line"],
    ArrowDown: ["forward", "line"],
    Home: ["backward", "lineboundary"],
    End: ["forward", "lineboundary"],
  };

  function caretMode() {
    return document.activeElement === body();
  }

  function placeCaret() {
    const caret = $("#caret");
    const selection = window.getSelection();
    if (!caret) return;
    if (!caretMode() || !selection.rangeCount || !body().contains(selection.focusNode)) {
      caret.hidden = true;
      return;
    }
    const range = document.createRange();
    range.setStart(selection.focusNode, selection.focusOffset);
    const rect = range.getClientRects()[0] || range.getBoundingClientRect();
    caret.hidden = false;
    caret.style.top = `${rect.top + window.scrollY}px`;
    caret.style.left = `${rect.left + window.scrollX}px`;
    caret.style.height = `${rect.height || 20}px`;
  }

  function startCaret() {
    const selection = window.getSelection();
    const root = body();
    if (selection.rangeCount && root.contains(selection.focusNode)) return placeCaret();
    const visible = $$(".para", root).find((p) => p.getBoundingClientRect().bottom > 0) || $(".para", root);
    const run = visible && firstRun(visible);
    if (!run) return;
    const text = run.firstChild || run;
    selection.setBaseAndExtent(text, 0, text, 0);
    placeCaret();
  }

  function moveCaret(event) {
    const step = CARET_KEYS[event.key];
    const selection = window.getSelection();
    if (!step || !selection.rangeCount) return false;
    const wordwise = (event.ctrlKey || event.altKey) && step[1] === "character";
    selection.modify(event.shiftKey ? "extend" : "move", step[0], wordwise ? "word" : step[1]);
    placeCaret();
    return true;
  }

  document.addEventListener("focusin", (event) => {
    if (event.target === body()) startCaret();
  });
  document.addEventListener("focusout", (event) => {
    if (event.target === body()) $("#caret").hidden = true;
  });

  // ---- highlights, filters and the panel ---------------------------------------------

  function marksOf(id) {
    return $$(`#article-body mark[data-ids~="${id}"]`);
  }

  function itemOf(id) {
    return document.getElementById(`item-${id}`);
  }

  function setActive(id, on) {
    for (const mark of marksOf(id)) mark.classList.toggle("is-active", on);
    const item = itemOf(id);
    if (item) item.classList.toggle("is-active", on);
  }

  function clearActive() {
    for (const el of $$(".is-active")) el.classList.remove("is-active");
  }

  const filters = { categories: new Set(), labels: new Set(), author: "" };

  function filtering() {
    return filters.categories.size > 0 || filters.labels.size > 0 || filters.author !== "";
  }

  function shown(id) {
    const item = itemOf(id);
    if (!item) return true;
    return !(
      filters.categories.has(item.dataset.category) ||
      filters.labels.has(item.dataset.label) ||
      (filters.author && item.dataset.author !== filters.author)
    );
  }

  function visibleIds(mark) {
    return mark.dataset.ids.split(" ").filter(shown);
  }

  // A run's classes as the server draws them (highlights.run_classes), for its visible spans.
  function runClasses(ids) {
    const classes = ["run", "hl", `depth-${Math.min(Math.max(ids.length, 1), 3)}`];
    const seen = new Set();
    for (const id of ids) {
      const item = itemOf(id);
      if (!item || seen.has(item.dataset.category)) continue;
      seen.add(item.dataset.category);
      classes.push(`c${item.dataset.category}`, `l${item.dataset.label}`);
    }
    if (!ids.length) classes.push("is-filtered");
    return classes;
  }

  let filtered = false; // whether marks were redrawn for filters and need redrawing back

  function applyFilters() {
    const items = $$(".annotation-item");
    const on = filtering();
    let visible = 0;
    for (const item of items) {
      const show = shown(item.dataset.id);
      item.hidden = !show;
      if (show) visible++;
    }
    if (on || filtered) {
      for (const mark of $$("#article-body mark[data-ids]")) {
        const active = mark.classList.contains("is-active");
        mark.className = runClasses(visibleIds(mark)).join(" ");
        if (active) mark.classList.add("is-active");
      }
      filtered = on;
    }
    const count = $("#annotation-count");
    if (count) count.textContent = on ? `${visible} of ${items.length}` : String(items.length);
    const drawer = $(".panel-toggle");
    if (drawer && count) drawer.textContent = `Annotations (${count.textContent})`;
    for (const toggle of $$("[data-toggle-category]")) {
      toggle.checked = !filters.categories.has(toggle.dataset.toggleCategory);
    }
    for (const toggle of $$("[data-toggle-label]")) toggle.checked = !filters.labels.has(toggle.dataset.toggleLabel);
    const author = $("[data-filter-author]");
    if (author) author.value = filters.author;
    emit("filters-changed", { shown: visible, total: items.length });
  }

  document.addEventListener("change", (event) => {
    const category = event.target.closest("[data-toggle-category]");
    const label = event.target.closest("[data-toggle-label]");
    const author = event.target.closest("[data-filter-author]");
    if (category) {
      const set = filters.categories;
      category.checked ? set.delete(category.dataset.toggleCategory) : set.add(category.dataset.toggleCategory);
    } else if (label) {
      label.checked ? filters.labels.delete(label.dataset.toggleLabel) : filters.labels.add(label.dataset.toggleLabel);
    } else if (author) {
      filters.author = author.value;
    } else {
      return;
    }
    applyFilters();
  });

  // Each annotation's first run is a tab stop named after it ("Claim: opinion — '…'").
  function describe(id) {
    const item = itemOf(id);
    if (!item) return "";
    return `${$(".item-label", item).textContent.trim()} — '${$(".item-quote", item).textContent}'`;
  }

  function tabStops() {
    const seen = new Set();
    for (const mark of $$("#article-body mark[data-ids]")) {
      const starting = mark.dataset.ids.split(" ").filter((id) => !seen.has(id));
      starting.forEach((id) => seen.add(id));
      if (starting.length) {
        mark.tabIndex = 0;
        mark.setAttribute("role", "button");
        mark.setAttribute("aria-label", starting.map(describe).join("; "));
        mark.dataset.stop = starting.join(" ");
      } else if (mark.dataset.stop) {
        mark.removeAttribute("tabindex");
        mark.removeAttribute("role");
        mark.removeAttribute("aria-label");
        delete mark.dataset.stop;
      }
    }
  }

  function stopOf(id) {
    return $(`#article-body mark[data-stop~="${id}"]`) || marksOf(id)[0] || null;
  }

  // ---- editor popover and the overlap chooser ---------------------------------------

  let returnFocus = null; // {id} of the highlight, or {item} of the panel button, an editor came from
  let refocusAfterSwap = null;
  let anchorRect = null;

  function openEditor(id, rect, from) {
    const button = $(`#item-${id} .item-button`);
    if (!button) return;
    closeChooser({ refocus: false });
    clearActive();
    setActive(id, true);
    anchorRect = rect || null;
    returnFocus = from || { id: id };
    emit("highlight-activated", { id: id, element: stopOf(id) });
    button.click(); // htmx GETs the editor into #popover
  }

  function focusReturn(target) {
    if (!target) return;
    if (target.item) {
      const button = $(`#item-${target.item} .item-button`);
      if (button) return button.focus();
    }
    const stop = target.id && stopOf(target.id);
    if (stop) stop.focus();
    else if (body()) body().focus();
  }

  function closePopover(options) {
    const pop = popover();
    if (pop && !pop.hidden) {
      pop.hidden = true;
      pop.innerHTML = "";
      if (!options || options.refocus !== false) focusReturn(returnFocus);
    }
  }

  function openChooser(mark, ids) {
    const box = chooser();
    const list = $("ul", box);
    list.replaceChildren();
    for (const id of ids) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.action = "choose";
      button.dataset.id = id;
      const label = document.createElement("span");
      label.className = "item-label";
      label.textContent = $(`#item-${id} .item-label`).textContent;
      const quote = document.createElement("q");
      quote.className = "item-quote";
      quote.textContent = $(`#item-${id} .item-quote`).textContent;
      button.append(label, quote);
      li.append(button);
      list.append(li);
    }
    box.dataset.markId = ids[0];
    chooserMark = mark;
    place(box, mark.getBoundingClientRect());
    $("button", list).focus();
  }

  let chooserMark = null;

  function closeChooser(options) {
    const box = chooser();
    if (box && !box.hidden) {
      box.hidden = true;
      if (!options || options.refocus !== false) {
        if (chooserMark && document.contains(chooserMark)) chooserMark.focus();
      }
    }
  }

  // A highlight was activated (click, Enter or Space): one annotation opens its editor,
  // several covering the same text open a chooser listing them all.
  function activate(mark) {
    const ids = visibleIds(mark);
    if (!ids.length) return;
    const item = itemOf(ids[0]);
    if (item) item.scrollIntoView({ block: "nearest" });
    if (ids.length > 1) openChooser(mark, ids);
    else openEditor(ids[0], mark.getBoundingClientRect(), { id: ids[0] });
  }

  document.addEventListener("click", (event) => {
    const labelButtonClicked = event.target.closest("#toolbar .label-button");
    if (labelButtonClicked) return chooseLabel(labelButtonClicked.dataset.label);
    const action = event.target.closest("[data-action]");
    if (action) {
      const name = action.dataset.action;
      if (name === "close-popover") closePopover();
      if (name === "help") $("#help").showModal();
      if (name === "confirm-long") createAnnotation(pendingLabel, true);
      if (name === "cancel-long") {
        hideConfirm();
        form().elements.note.focus();
      }
      if (name === "retry") {
        if (retry) retry();
        action.closest(".message").remove();
      }
      if (name === "choose") openEditor(action.dataset.id, chooserMark && chooserMark.getBoundingClientRect(), { id: action.dataset.id });
      if (name === "toggle-panel") togglePanel();
      return;
    }
    const mark = event.target.closest("#article-body mark[data-ids]");
    if (mark && window.getSelection().isCollapsed) {
      activate(mark);
      return;
    }
    const item = event.target.closest(".item-button");
    if (item) {
      // A click in the panel itself (not one relayed by openEditor from a highlight)
      // brings the text to the annotation and opens the editor beside the panel.
      if (event.isTrusted) {
        const first = stopOf(item.dataset.id);
        if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
        anchorRect = null;
        returnFocus = { item: item.dataset.id };
        emit("highlight-activated", { id: item.dataset.id, element: first });
      }
      clearActive();
      setActive(item.dataset.id, true);
      return;
    }
    const pop = popover();
    if (pop && !pop.hidden && !pop.contains(event.target)) closePopover({ refocus: false });
    const box = chooser();
    if (box && !box.hidden && !box.contains(event.target)) closeChooser({ refocus: false });
  });

  for (const type of ["mouseover", "focusin"]) {
    document.addEventListener(type, (event) => {
      const item = event.target.closest && event.target.closest(".annotation-item");
      if (item) setActive(item.dataset.id, true);
    });
  }
  for (const type of ["mouseout", "focusout"]) {
    document.addEventListener(type, (event) => {
      const item = event.target.closest && event.target.closest(".annotation-item");
      if (item && !(popover() && !popover().hidden)) setActive(item.dataset.id, false);
    });
  }

  // On narrow screens the panel is a drawer, one tap away.
  function togglePanel(open) {
    const isOpen = open === undefined ? !document.body.classList.contains("panel-open") : open;
    document.body.classList.toggle("panel-open", isOpen);
    const button = $(".panel-toggle");
    if (button) button.setAttribute("aria-expanded", String(isOpen));
  }

  // ---- keyboard ----------------------------------------------------------------------

  // The visible annotations in text order, each with the mark that is its tab stop.
  function annotationStops() {
    return $$(".annotation-item")
      .filter((item) => !item.hidden)
      .map((item) => ({ id: item.dataset.id, mark: stopOf(item.dataset.id) }))
      .filter((stop) => stop.mark);
  }

  let currentStop = -1;

  function moveTo(delta) {
    const stops = annotationStops();
    if (!stops.length) return;
    const focused = document.activeElement && document.activeElement.dataset && document.activeElement.dataset.stop;
    if (focused) {
      const at = stops.findIndex((stop) => focused.split(" ").includes(stop.id));
      if (at >= 0) currentStop = at;
    }
    currentStop = (currentStop + delta + stops.length) % stops.length;
    const stop = stops[currentStop];
    clearActive();
    setActive(stop.id, true);
    const item = itemOf(stop.id);
    if (item) item.scrollIntoView({ block: "nearest" });
    stop.mark.focus({ preventScroll: true });
    stop.mark.scrollIntoView({ block: "center" });
    emit("highlight-activated", { id: stop.id, element: stop.mark });
  }

  // Keys typed into a field are text; a checkbox or button lets the reader's keys through.
  function typing(target) {
    const field = target.closest("input, textarea, select, [contenteditable]");
    return field !== null && !(field.matches("input") && /^(checkbox|radio|button|submit)$/.test(field.type));
  }

  // The label a key stands for: its hotkey, or with Alt (in the note) the key's own
  // character, since Alt changes event.key on some layouts.
  function hotkeyButton(event) {
    const bar = toolbar();
    if (!bar || bar.hidden) return null;
    let key = event.key;
    if (event.altKey && /^(Digit|Key)/.test(event.code)) key = event.code.replace(/^(Digit|Key)/, "").toLowerCase();
    return $$(".label-button", bar).find((b) => b.dataset.hotkey && b.dataset.hotkey.toLowerCase() === key);
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      const wasOpen = !popover().hidden || !chooser().hidden;
      hideToolbar();
      closeChooser();
      closePopover();
      if (!wasOpen && document.activeElement && toolbar() && toolbar().contains(document.activeElement)) body().focus();
      return;
    }
    const inNote = event.target.closest && event.target.closest("#annotate-form input[name=note]");
    if (inNote) {
      if (event.key === "Enter") {
        event.preventDefault(); // Enter never picks a label by itself
        if (pendingLabel) createAnnotation(pendingLabel, true);
        else setHint("Pick a label to save: click it, or press Alt and its key.");
        return;
      }
      const button = event.altKey && !event.ctrlKey && !event.metaKey && hotkeyButton(event);
      if (button) {
        event.preventDefault();
        chooseLabel(button.dataset.label);
      }
      return;
    }
    if (caretMode() && !event.metaKey && moveCaret(event)) {
      event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const button = hotkeyButton(event);
    if (button) {
      event.preventDefault();
      chooseLabel(button.dataset.label);
      return;
    }
    const mark = event.target.closest && event.target.closest("#article-body mark[data-ids]");
    if (event.key === "?") {
      event.preventDefault();
      $("#help").showModal();
    } else if (event.key === "j") {
      moveTo(1);
    } else if (event.key === "k") {
      moveTo(-1);
    } else if ((event.key === "Enter" || event.key === " " || event.key === "e") && mark) {
      event.preventDefault();
      activate(mark);
    } else if (event.key === "u") {
      const undo = $("#messages button.undo");
      if (undo) undo.click();
    }
  });

  document.addEventListener("submit", (event) => {
    if (event.target === form()) event.preventDefault(); // labels save through chooseLabel
  });

  // ---- after htmx swaps ---------------------------------------------------------------

  // The editor shows once settled: htmx wires up its form only then, and a Save pressed
  // before that would submit the form natively.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (target && target.id === "popover") {
      const pop = popover();
      const panel = $("#annotation-panel").getBoundingClientRect();
      place(pop, anchorRect || { top: 80, bottom: 80, left: panel.left - 340, right: panel.left - 340 });
      const field = $("select, textarea, button", pop);
      if (field) field.focus();
    }
  });

  // After any swap: new marks get their tab stops and names, filters apply to new items,
  // and focus goes back to the highlight an editor came from.
  document.body.addEventListener("htmx:afterSettle", () => {
    tabStops();
    applyFilters();
    if (refocusAfterSwap) {
      focusReturn(refocusAfterSwap);
      refocusAfterSwap = null;
    }
  });

  let focusNewHighlight = false;
  document.addEventListener("annotator:annotation-created", (event) => {
    if (!focusNewHighlight) return;
    focusNewHighlight = false;
    tabStops();
    const stop = stopOf(event.detail.id);
    if (stop) stop.focus({ preventScroll: true });
  });

  tabStops();
  applyFilters();
})();
