// Adjudication page keys: j/k move between passages still to decide (disagreements
// first in text order), a/b/c/d or 1–5 accept that coder's version, x rejects, e adjusts,
// u undoes, g accepts every agreed passage. Each action is a plain form POST.
(function () {
  "use strict";
  const groups = () => Array.from(document.querySelectorAll(".group"));
  const open = () => groups().filter((g) => !g.hasAttribute("data-decided") && g.dataset.kind !== "agreed");
  const current = () => document.activeElement && document.activeElement.closest(".group");

  function focusGroup(group) {
    if (!group) return;
    group.focus();
    group.scrollIntoView({ block: "center" });
  }

  function move(step) {
    const list = open().length ? open() : groups();
    const here = current();
    const at = here ? Number(here.dataset.index) : (step > 0 ? -1 : Infinity);
    const next = step > 0
      ? list.find((g) => Number(g.dataset.index) > at)
      : list.slice().reverse().find((g) => Number(g.dataset.index) < at);
    focusGroup(next || (step > 0 ? list[0] : list[list.length - 1]));
  }

  function submit(form) {
    if (form && !form.querySelector("button[disabled]")) form.requestSubmit();
  }

  function preview(form) {
    const out = form.querySelector(".adjust-preview");
    const chars = Array.from(form.dataset.context || "");
    const base = Number(form.dataset.contextStart);
    const start = Number(form.elements.start.value) - base;
    const end = Number(form.elements.end.value) - base;
    out.textContent = start >= 0 && end <= chars.length && start < end ? "“" + chars.slice(start, end).join("") + "”" : "(outside this passage)";
  }

  document.addEventListener("input", (event) => {
    const form = event.target.closest("form.adjust");
    if (form) preview(form);
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const field = event.target.closest("input, select, textarea");
    if (field) {
      if (event.key === "Escape") { field.blur(); focusGroup(field.closest(".group")); }
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "j" || key === "n") { move(1); event.preventDefault(); return; }
    if (key === "k" || key === "p") { move(-1); event.preventDefault(); return; }
    if (key === "g") { submit(document.getElementById("accept-agreed")); event.preventDefault(); return; }
    const group = current();
    if (!group) return;
    const form = /^[1-5]$/.test(key)
      ? group.querySelector(`form[data-digit="${key}"]`)
      : group.querySelector(`form[data-key="${CSS.escape(key)}"]`);
    if (!form) return;
    event.preventDefault();
    if (key === "e") {
      const start = form.elements.start;
      preview(form);
      start.focus();
      start.select();
    } else {
      submit(form);
    }
  });

  // After an action the page comes back with ?at=<position>: go on from there.
  const at = Number(new URLSearchParams(location.search).get("at"));
  const first = open().find((g) => Number(g.dataset.index) >= (Number.isFinite(at) ? at : 0)) || open()[0];
  focusGroup(first);
})();
