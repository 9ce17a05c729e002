"""Helpers for the Playwright tests: log in, and select text the way a user does."""

TEST_PASSWORD = "pw-for-tests-1"  # make_user's default


def log_in(page, live_server, username, *, admin=False):
    """Log in through the real form (the app's, or the admin's) and wait to land."""
    start = "/admin/" if admin else "/"
    page.goto(f"{live_server.url}{start}login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("[type=submit]")
    page.wait_for_url(live_server.url + start)


PHRASE_RECTS = """([phrase, occurrence]) => {
  const body = document.querySelector('#article-body');
  const text = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) text.push(node);
  // Find the phrase in the concatenated text of the body, across nodes and paragraphs.
  let joined = "";
  const starts = [];
  for (const n of text) { starts.push(joined.length); joined += n.data; }
  const flat = phrase.replace(/\\n\\n/g, "");
  let at = joined.indexOf(flat);
  for (let i = 0; i < occurrence && at >= 0; i++) at = joined.indexOf(flat, at + 1);
  if (at < 0) throw new Error("phrase not in the page: " + phrase);
  const locate = (offset, preferEnd) => {
    for (let i = 0; i < text.length; i++) {
      const s = starts[i], e = s + text[i].data.length;
      if (offset > s && offset < e) return [text[i], offset - s];
      if (preferEnd && offset === e) return [text[i], offset - s];
      if (!preferEnd && offset === s) return [text[i], 0];
    }
    throw new Error("offset out of range");
  };
  const [sn, so] = locate(at, false);
  const [en, eo] = locate(at + flat.length, true);
  const first = document.createRange(); first.setStart(sn, so); first.setEnd(sn, so + 1);
  const last = document.createRange(); last.setStart(en, eo - 1); last.setEnd(en, eo);
  first.startContainer.parentElement.scrollIntoView({block: "center"});
  const a = first.getClientRects()[0], b = last.getClientRects()[0];
  return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2};
}"""


def drag_select(page, phrase, occurrence=0):
    """Select `phrase` (its n-th occurrence) in the article body by dragging the mouse."""
    rects = page.evaluate(PHRASE_RECTS, [phrase, occurrence])
    page.mouse.move(rects["x1"], rects["y1"])
    page.mouse.down()
    page.mouse.move((rects["x1"] + rects["x2"]) / 2, (rects["y1"] + rects["y2"]) / 2, steps=4)
    page.mouse.move(rects["x2"], rects["y2"], steps=4)
    page.mouse.up()
    page.wait_for_selector("#toolbar:not([hidden])")


def csp_errors(page):
    messages = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def wait_until(page, expression, timeout_ms=5000):
    """Poll `expression` in the page until it is true. (page.wait_for_function evaluates
    its polling with eval, which the app's Content Security Policy forbids.)"""
    for _ in range(timeout_ms // 50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never true: {expression}")
