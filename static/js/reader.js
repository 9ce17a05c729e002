// The reading page: turn a text selection into offsets, show the tagging toolbar,
// and the keyboard. Everything that talks to the server goes through htmx attributes;
// this file only does what htmx cannot (selections, positions, keys).
(function () {
  "use strict";

  const PARAGRAPH_BREAK = "\n\n";
  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));

  const body = () => $("#article-body");
  const toolbar = () => $("#toolbar");
  const popover = () => $("#popover");
  let lastFocusedMark = null;

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

  // The selection clipped to the article body, as {start, end, quote} or null.
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
    return { start: start, end: end, quote: quote, rect: selection.getRangeAt(0).getBoundingClientRect() };
  }

  // ---- toolbar ---------------------------------------------------------------------

  function placeNear(element, rect) {
    element.hidden = false;
    const margin = 8;
    const width = element.offsetWidth;
    const height = element.offsetHeight;
    let top = rect.bottom + margin;
    if (top + height > window.innerHeight - margin) top = Math.max(margin, rect.top - height - margin);
    let left = Math.min(Math.max(margin, rect.left), window.innerWidth - width - margin);
    element.style.top = `${top + window.scrollY}px`;
    element.style.left = `${left + window.scrollX}px`;
  }

  function fillForm(measured) {
    const form = $("#annotate-form");
    form.elements.start.value = measured.start;
    form.elements.end.value = measured.end;
    form.elements.quote.value = measured.quote;
  }

  // Choosing a label re-reads the selection, so a label picked the instant the mouse
  // is released tags what is selected then, not what the last debounced read saw.
  function refreshFromSelection() {
    const measured = measureSelection();
    if (measured) fillForm(measured);
  }

  function showToolbar(measured) {
    const bar = toolbar();
    if (!bar || !body().hasAttribute("data-can-annotate")) return;
    fillForm(measured);
    const shown = measured.quote.trim();
    $(".toolbar-quote", bar).textContent = `“${shown.length > 80 ? shown.slice(0, 77) + "…" : shown}”`;
    placeNear(bar, measured.rect);
  }

  function hideToolbar() {
    const bar = toolbar();
    if (bar && !bar.hidden) {
      bar.hidden = true;
      const form = $("#annotate-form");
      form.elements.note.value = "";
    }
  }

  function onSelectionSettled() {
    const bar = toolbar();
    if (bar && bar.contains(document.activeElement)) return;
    const measured = measureSelection();
    if (measured) showToolbar(measured);
    else hideToolbar();
  }

  // While a pointer is down the selection is still being dragged out: wait for its
  // release, so the toolbar never shows (or submits) half a selection.
  let pointerDown = false;
  let selectionTimer = null;
  document.addEventListener("pointerdown", () => {
    pointerDown = true;
  });
  document.addEventListener("pointerup", () => {
    pointerDown = false;
    clearTimeout(selectionTimer);
    selectionTimer = setTimeout(onSelectionSettled, 10);
  });
  document.addEventListener("selectionchange", () => {
    if (pointerDown) return;
    clearTimeout(selectionTimer);
    selectionTimer = setTimeout(onSelectionSettled, 150);
  });

  // ---- highlights, panel and popover ---------------------------------------------

  function marksOf(id) {
    return $$(`#article-body mark[data-ids~="${id}"]`);
  }

  function setActive(id, on) {
    for (const mark of marksOf(id)) mark.classList.toggle("is-active", on);
    const item = $(`#item-${id}`);
    if (item) item.classList.toggle("is-active", on);
  }

  function clearActive() {
    for (const el of $$(".is-active")) el.classList.remove("is-active");
  }

  function openEditor(id, anchorRect) {
    const button = $(`#item-${id} .item-button`);
    if (!button) return;
    clearActive();
    setActive(id, true);
    popover().dataset.anchorTop = anchorRect ? anchorRect.bottom : "";
    popover().dataset.anchorLeft = anchorRect ? anchorRect.left : "";
    button.click(); // htmx GETs the editor into #popover
  }

  function closePopover() {
    const pop = popover();
    if (pop && !pop.hidden) {
      pop.hidden = true;
      pop.innerHTML = "";
      if (lastFocusedMark && document.contains(lastFocusedMark)) lastFocusedMark.focus();
    }
  }

  document.addEventListener("click", (event) => {
    if (event.isTrusted && event.target.closest("#toolbar .label-button")) refreshFromSelection();
    const action = event.target.closest("[data-action]");
    if (action) {
      if (action.dataset.action === "close-popover") closePopover();
      if (action.dataset.action === "help") $("#help").showModal();
      return;
    }
    const mark = event.target.closest("#article-body mark[data-ids]");
    if (mark && window.getSelection().isCollapsed) {
      const id = mark.dataset.ids.split(" ")[0]; // innermost span first
      lastFocusedMark = mark;
      const item = $(`#item-${id}`);
      if (item) item.scrollIntoView({ block: "nearest" });
      openEditor(id, mark.getBoundingClientRect());
      return;
    }
    const item = event.target.closest(".item-button");
    if (item) {
      // A click in the panel itself (not one relayed by openEditor from a highlight)
      // brings the text to the annotation and opens the editor beside the panel.
      if (event.isTrusted) {
        const first = marksOf(item.dataset.id)[0];
        if (first) {
          first.scrollIntoView({ block: "center", behavior: "smooth" });
          lastFocusedMark = first;
        }
        popover().dataset.anchorTop = "";
      }
      clearActive();
      setActive(item.dataset.id, true);
      return;
    }
    const pop = popover();
    if (pop && !pop.hidden && !pop.contains(event.target)) closePopover();
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

  document.addEventListener("change", (event) => {
    const toggle = event.target.closest("[data-toggle-category]");
    if (toggle) document.body.classList.toggle(`hide-c${toggle.dataset.toggleCategory}`, !toggle.checked);
  });

  // ---- keyboard ----------------------------------------------------------------------

  // One focusable mark per annotation (its first run), in text order.
  function annotationStops() {
    const seen = new Set();
    const stops = [];
    for (const mark of $$("#article-body mark[data-ids]")) {
      for (const id of mark.dataset.ids.split(" ")) {
        if (!seen.has(id)) {
          seen.add(id);
          stops.push({ id: id, mark: mark });
        }
      }
    }
    const order = new Map($$(".annotation-item").map((item, index) => [item.dataset.id, index]));
    return stops.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  }

  let currentStop = -1;

  function moveTo(delta) {
    const stops = annotationStops();
    if (!stops.length) return;
    currentStop = (currentStop + delta + stops.length) % stops.length;
    const stop = stops[currentStop];
    clearActive();
    setActive(stop.id, true);
    stop.mark.setAttribute("tabindex", "-1");
    stop.mark.dataset.focusId = stop.id;
    stop.mark.focus();
    stop.mark.scrollIntoView({ block: "center" });
    lastFocusedMark = stop.mark;
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      hideToolbar();
      closePopover();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const bar = toolbar();
    if (bar && !bar.hidden) {
      const button = $$(".label-button", bar).find((b) => b.dataset.hotkey && b.dataset.hotkey === event.key);
      if (button) {
        event.preventDefault();
        refreshFromSelection();
        button.click(); // htmx sends the clicked submit button's name and value
        return;
      }
    }
    if (event.key === "?") {
      event.preventDefault();
      $("#help").showModal();
    } else if (event.key === "j") {
      moveTo(1);
    } else if (event.key === "k") {
      moveTo(-1);
    } else if (event.key === "Enter") {
      const mark = event.target.closest && event.target.closest("#article-body mark[data-ids]");
      if (mark) {
        event.preventDefault();
        lastFocusedMark = mark;
        openEditor(mark.dataset.focusId || mark.dataset.ids.split(" ")[0], mark.getBoundingClientRect());
      }
    }
  });

  // ---- after htmx swaps ---------------------------------------------------------------

  document.body.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "popover") {
      const pop = popover();
      const top = Number(pop.dataset.anchorTop);
      const left = Number(pop.dataset.anchorLeft);
      const anchor = pop.dataset.anchorTop
        ? { top: top, bottom: top, left: left }
        : $("#annotation-panel").getBoundingClientRect();
      placeNear(pop, pop.dataset.anchorTop ? anchor : { bottom: 80, top: 80, left: anchor.left - 340 });
      const field = $("select, textarea, button", pop);
      if (field) field.focus();
    }
  });

  // A saved change (tag, edit, delete, undo) closes the toolbar and the editor; the
  // server's out-of-band swaps have already put the changed paragraphs and items in place.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const source = event.detail.elt;
    const xhr = event.detail.xhr;
    if (!source || !xhr || xhr.status >= 300 || (event.detail.requestConfig || {}).verb !== "post") return;
    hideToolbar();
    closePopover();
    window.getSelection().removeAllRanges();
  });

  // When the whole panel was re-rendered, its toggles follow the page's state.
  document.body.addEventListener("htmx:afterSettle", () => {
    for (const toggle of $$("[data-toggle-category]")) {
      toggle.checked = !document.body.classList.contains(`hide-c${toggle.dataset.toggleCategory}`);
    }
  });
})();
