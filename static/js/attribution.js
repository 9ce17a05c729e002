// Who said what on the reading page: attributing claims to sources, naming sources,
// tone intensity and target. Server work goes through htmx (articles/sources/views.py);
// this file does what htmx cannot: keys, the "attribute to" picker, autocomplete picks,
// outlining linked spans, and the panel's "← source (cue, form)" lines.
// It talks to reader.js only through DOM events: `annotator:annotation-created`
// ({id, uuid, kind}, sent by the server with HX-Trigger-After-Settle, so it arrives a
// moment after the new item is in the panel) and clicks on highlights.
(function () {
  "use strict";

  const $ = (selector, root) => (root || document).querySelector(selector);
  const $$ = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const who = () => $("#who");
  const bar = () => $("#who-bar");

  let lastClaim = null; // the claim tagged last, waiting for its source
  let pendingSource = null; // a source tagged right after it: `a` links the two
  let toneMode = null; // a tone tagged last: keys 1–3 set its intensity
  let pendingIntensity = null; // a key pressed before the tone's panel arrived
  let tagging = false; // a tag is on its way: from its request until annotation-created
  let tagRound = 0; // which tag that is
  let queuedKeys = []; // a, 1–3 pressed while it was: they belong to that tag
  let pendingPick = false; // `a` after a claim, before its panel (and its list) arrived

  // The page's who-said-what data (articles/sources/reading.py), links as
  // {claim, source, cue, form} and sources as {name, quote}.
  function data() {
    const holder = $("#attribution-data"); // JSON text, not a <script>: htmx drops those
    let raw = { sources: {}, claims: {}, tones: {}, links: [] };
    try {
      if (holder) raw = JSON.parse(holder.textContent);
    } catch (error) {
      // keep the empty data
    }
    const sources = {};
    for (const [id, [name, quote]] of Object.entries(raw.sources)) sources[id] = { name: name, quote: quote };
    const links = raw.links.map(([claim, source, cue, form]) => ({ claim, source, cue, form }));
    return { sources: sources, claims: raw.claims, tones: raw.tones, links: links };
  }

  function typing(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  // A phone or tablet has no keys to press: its hints point at the panel instead.
  const touchOnly = window.matchMedia("(hover: none) and (pointer: coarse)").matches;

  function showBar(text) {
    const element = bar();
    if (!element) return;
    element.textContent = text;
    element.hidden = !text;
  }

  // ---- the who-said-what panel ---------------------------------------------------

  function openWho(id, { focus = true } = {}) {
    const panel = who();
    if (!panel) return Promise.resolve();
    panel.dataset.current = id;
    panel.dataset.focus = focus ? "1" : "";
    panel.dataset.loading = "1";
    return htmx.ajax("GET", panel.dataset.whoUrl.replace(/\/0\/$/, `/${id}/`), { target: "#who", swap: "innerHTML" });
  }

  function closeWho() {
    const panel = who();
    if (panel && !panel.hidden) {
      panel.hidden = true;
      panel.innerHTML = "";
      delete panel.dataset.current;
    }
    showBar("");
  }

  function attribute(claim, source) {
    const panel = who();
    panel.dataset.current = claim;
    return htmx.ajax("POST", panel.dataset.attributeUrl, {
      target: "#who",
      swap: "innerHTML",
      values: { claim: String(claim), source: String(source) },
    });
  }

  // ---- panel lines and outlines ------------------------------------------------------

  function linkedTo(id, info) {
    const key = Number(id);
    return info.links
      .filter((link) => link.claim === key || link.source === key)
      .map((link) => (link.claim === key ? link.source : link.claim));
  }

  function line(text, className) {
    const span = document.createElement("span");
    span.className = className || "who-line";
    span.textContent = text;
    return span;
  }

  function decoratePanel() {
    const info = data();
    for (const item of $$(".annotation-item[data-id]")) {
      for (const old of $$(".who-line, .who-flag", item)) old.remove();
      item.classList.remove("is-unattributed");
      const id = item.dataset.id;
      const target = $(".item-button", item) || item;
      if (id in info.claims) {
        const links = info.links.filter((link) => String(link.claim) === id);
        for (const link of links) {
          const source = info.sources[link.source] || {};
          const name = source.name || `“${source.quote || "?"}”`;
          target.appendChild(line(`← ${name} (${link.cue || "no cue"}, ${link.form})`));
        }
        if (!links.length && info.claims[id]) target.appendChild(line("the outlet's own voice"));
        if (!links.length && !info.claims[id]) {
          item.classList.add("is-unattributed");
          target.appendChild(line("unattributed", "who-flag"));
        }
      } else if (info.sources[id]) {
        const count = info.links.filter((link) => String(link.source) === id).length;
        const name = info.sources[id].name;
        const text = `${name ? "= " + name : "no entity yet"}${count ? ` → ${count} claim${count > 1 ? "s" : ""}` : ""}`;
        target.appendChild(line(text));
      } else if (info.tones[id]) {
        const [intensity, toward] = info.tones[id];
        target.appendChild(line(`intensity ${intensity || "—"}${toward ? " → " + toward : ""}`));
      }
    }
  }

  function outline(id, on) {
    for (const other of linkedTo(id, data())) {
      for (const mark of $$(`#article-body mark[data-ids~="${other}"]`)) mark.classList.toggle("is-linked", on);
      const item = $(`#item-${other}`);
      if (item) item.classList.toggle("is-linked", on);
    }
  }

  function idsAt(target) {
    const item = target.closest && target.closest(".annotation-item[data-id]");
    if (item) return [item.dataset.id];
    const mark = target.closest && target.closest("#article-body mark[data-ids]");
    return mark ? mark.dataset.ids.split(" ") : [];
  }

  for (const type of ["mouseover", "focusin"]) {
    document.addEventListener(type, (event) => {
      for (const id of idsAt(event.target)) outline(id, true);
    });
  }
  for (const type of ["mouseout", "focusout"]) {
    document.addEventListener(type, (event) => {
      for (const id of idsAt(event.target)) outline(id, false);
    });
  }

  // ---- after tagging -------------------------------------------------------------------

  document.addEventListener("annotator:annotation-created", (event) => {
    const { id, kind } = event.detail || {};
    if (!id) return;
    toneMode = null;
    if (kind === "claim") {
      lastClaim = id;
      pendingSource = null;
      openWho(id, { focus: false });
      showBar(
        touchOnly
          ? "Claim saved. Attribute it: pick a source in the panel, or tap a source highlight."
          : "Claim saved. Attribute it: press a to pick a source, or click a source highlight.",
      );
    } else if (kind === "source" && lastClaim) {
      pendingSource = id;
      openWho(id, { focus: false });
      showBar(touchOnly ? "Source saved." : "Source saved. Press a to attribute the last claim to it.");
    } else if (kind === "source") {
      openWho(id);
      showBar("");
    } else if (kind === "tone") {
      toneMode = id;
      openWho(id, { focus: false });
      showBar(
        touchOnly ? "Tone saved. Choose its intensity in the panel." : "Tone saved. Press 1, 2 or 3 for its intensity.",
      );
    } else {
      lastClaim = null;
    }
    tagging = false;
    const keys = queuedKeys;
    queuedKeys = [];
    for (const key of keys) handleKey(key);
  });

  // While a tag is being saved, the prompt about the one before is stale, and keys meant
  // for the new tag (`a`, 1–3) wait for it: the reader announces it only once settled.
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt !== $("#annotate-form")) return;
    tagging = true;
    tagRound++;
    queuedKeys = [];
    showBar("");
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const panel = who();
    if (event.detail.target === panel && !event.detail.successful) {
      delete panel.dataset.loading; // the panel is not coming
      pendingPick = false;
    }
    if (event.detail.elt !== $("#annotate-form")) return;
    if (event.detail.successful) {
      // The announcement follows once settled; never hold keys longer than that could take.
      const round = tagRound;
      setTimeout(() => {
        if (round !== tagRound) return;
        tagging = false;
        queuedKeys = [];
      }, 2000);
      return;
    }
    tagging = false; // refused or no answer: no tag is coming
    queuedKeys = [];
  });

  // "Who is this?" takes the focus only if the analyst has not moved on meanwhile (a new
  // selection, a click elsewhere): a drag begun before the panel arrived must keep its
  // selection and get its toolbar.
  document.addEventListener(
    "pointerdown",
    (event) => {
      const panel = who();
      if (panel && !panel.contains(event.target)) panel.dataset.focus = "";
    },
    true,
  );

  function movedOn() {
    const toolbar = $("#toolbar");
    return (toolbar && !toolbar.hidden) || !window.getSelection().isCollapsed;
  }

  // Picking a source highlight while a claim's panel offers it links the two; it runs in
  // the capture phase, before reader.js opens the highlight's editor.
  document.addEventListener(
    "click",
    (event) => {
      const panel = who();
      const inner = panel && !panel.hidden && $(".who-inner[data-kind='claim']", panel);
      const mark = event.target.closest && event.target.closest("#article-body mark[data-ids]");
      if (!inner || !mark || !window.getSelection().isCollapsed) return;
      // Only a source the panel offers (not yet linked); other clicks open the editor as usual.
      const source = mark.dataset.ids.split(" ").find((id) => $(`#source-options li[data-source="${id}"]`, panel));
      if (!source) return;
      event.preventDefault();
      event.stopPropagation();
      attribute(inner.dataset.annotation, source);
    },
    true,
  );

  document.addEventListener("click", (event) => {
    const close = event.target.closest("[data-action='close-who']");
    if (close) {
      closeWho();
      return;
    }
    const open = event.target.closest("[data-action='open-who']");
    if (open) {
      openWho(open.dataset.id);
      return;
    }
    const option = event.target.closest(".options li[data-field]");
    if (option) pick(option);
  });

  // ---- autocomplete and the "attribute to" list -------------------------------------

  function pick(option) {
    const form = option.closest("form");
    if (!form) return;
    const field = option.dataset.field;
    const text = field === "target" ? form.elements.target_text : form.elements.q;
    const hidden = field === "target" ? form.elements.target_entity : form.elements.entity;
    if (option.dataset.entity) {
      hidden.value = option.dataset.entity;
      text.value = option.dataset.name;
    } else {
      hidden.value = "";
      text.value = option.dataset.newName || text.value;
    }
    const list = option.closest(".options");
    if (list) list.innerHTML = "";
    form.requestSubmit();
  }

  function visibleOptions(list) {
    return $$("li[role='option']", list).filter((li) => !li.hidden);
  }

  function moveIn(list, from, delta) {
    const options = visibleOptions(list);
    if (!options.length) return;
    const index = options.indexOf(from);
    const next = index < 0 ? (delta > 0 ? 0 : options.length - 1) : index + delta;
    if (next < 0 || next >= options.length) {
      const input = list.parentElement.querySelector("input[type='search']");
      if (input) input.focus();
      return;
    }
    options[next].focus();
  }

  document.addEventListener("input", (event) => {
    const target = event.target;
    if (target.id === "source-filter") {
      const query = target.value.trim().toLowerCase();
      for (const option of $$("#source-options li[role='option']")) {
        option.hidden = query !== "" && !option.textContent.toLowerCase().includes(query);
      }
    } else if (target.dataset && target.dataset.autocomplete) {
      // Typing after a pick means a new choice.
      const form = target.closest("form");
      const hidden = target.dataset.autocomplete === "target" ? form.elements.target_entity : form.elements.entity;
      if (hidden) hidden.value = "";
    }
  });

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const list =
      target.id === "source-filter"
        ? $("#source-options")
        : target.dataset && target.dataset.autocomplete
          ? $(`#${target.getAttribute("aria-controls")}`)
          : target.closest && target.closest(".options, #source-options");
    if (list && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      moveIn(list, target.closest("li[role='option']"), event.key === "ArrowDown" ? 1 : -1);
      return;
    }
    if (list && event.key === "Enter") {
      const option = target.closest && target.closest("li[role='option']");
      const chosen = option || (target.id === "source-filter" ? visibleOptions(list)[0] : null);
      if (chosen) {
        event.preventDefault();
        if (chosen.dataset.field) {
          pick(chosen);
        } else {
          // Chosen by keyboard: the panel that comes back takes the focus (decoratePanel).
          if (who()) who().dataset.focus = "1";
          chosen.click();
        }
      }
      return;
    }
    if (event.key === "Escape" && who() && !who().hidden) {
      closeWho();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(target)) return;
    if (tagging && ["a", "1", "2", "3"].includes(event.key)) {
      event.preventDefault();
      queuedKeys.push(event.key);
      return;
    }
    const toolbar = $("#toolbar");
    if (toolbar && !toolbar.hidden) return; // label keys belong to the tagging toolbar
    if (handleKey(event.key)) event.preventDefault();
  });

  function handleKey(key) {
    const panel = who();
    if (key === "a" && lastClaim && pendingSource) {
      attribute(lastClaim, pendingSource);
      lastClaim = pendingSource = null;
      showBar("");
    } else if (key === "a" && panel && panel.dataset.loading && lastClaim) {
      pendingPick = true; // into the list once the claim's panel is there
    } else if (key === "a" && $("#who:not([hidden]) #source-filter")) {
      // "Attribute to…" from the keyboard: into the list of the article's sources.
      $("#source-filter").focus();
    } else if (toneMode && ["1", "2", "3"].includes(key)) {
      pendingIntensity = key;
      toneMode = null;
      showBar("");
      applyIntensity();
    } else {
      return false;
    }
    return true;
  }

  function applyIntensity() {
    const radio = pendingIntensity && $(`#who .who-inner[data-kind='tone'] input[name='intensity'][value='${pendingIntensity}']`);
    // Not while the panel is on its way, nor between its swap and its settling: htmx has
    // not wired its form yet, and the browser would send it itself and leave the page.
    // Tried again once the panel has settled.
    if (!radio || who().dataset.loading) return;
    pendingIntensity = null;
    radio.checked = true;
    radio.form.requestSubmit();
  }

  // ---- after swaps ------------------------------------------------------------------------

  // After settling: htmx has bound the new panel's forms by then.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const panel = who();
    if (event.detail.target !== panel) return;
    delete panel.dataset.loading;
    if (!panel.dataset.current) {
      // Closed (Esc) while it was on its way.
      panel.innerHTML = "";
      return;
    }
    panel.hidden = false;
    applyIntensity();
    const filter = pendingPick && $("#source-filter", panel);
    pendingPick = false;
    if (filter) {
      filter.focus();
    } else if (panel.dataset.focus && !movedOn()) {
      // The field to answer next, else the panel's first control (a claim whose last
      // source was just linked offers no list any more, but its link's cue and form).
      const field = $("#entity-input, #source-filter, #target-input", panel) || $("input, select, button", panel);
      if (field) field.focus();
    }
    panel.dataset.focus = "";
  });

  document.body.addEventListener("htmx:afterSettle", decoratePanel);
  decoratePanel();
})();
