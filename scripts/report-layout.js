// Layout probe for a SynthLab report opened in a real browser (scripts/screenshot-reports and
// Tests/SynthReportTests/BrowserRenderTests inject it into a COPY of the report; reports themselves carry no
// scripts). It measures every table and plot as Chromium laid them out, checks that each is the topmost
// element at its own centre once scrolled into view (so it is visible, not hidden or covered), and writes
// the result as JSON into a hidden pre element (id synthlab-layout) that `chromium --dump-dom` prints. With the URL
// fragment #synthlab-shot it then hides what comes before the first results table, for a screenshot.
(function () {
  // `clip`: the box the element scrolls inside (its visible part is tested, not a centre cut off by it).
  function visible(el, clip) {
    el.scrollIntoView({ block: "center" });
    const e = el.getBoundingClientRect();
    const c = (clip || el).getBoundingClientRect();
    const r = { left: Math.max(e.left, c.left), top: Math.max(e.top, c.top) };
    r.width = Math.min(e.right, c.right) - r.left;
    r.height = Math.min(e.bottom, c.bottom) - r.top;
    if (r.width <= 0 || r.height <= 0) return false;
    const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    return !!hit && (hit === el || el.contains(hit));
  }
  function box(el) {
    const r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  }
  const tables = Array.from(document.querySelectorAll("table")).map(function (t) {
    const b = box(t);
    const cells = Array.from(t.querySelectorAll("td, th")).filter(function (c) {
      const r = c.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && c.textContent.trim().length > 0;
    });
    // A table wider than its scroll box is cut at the box's edge and scrolls sideways inside it.
    const frame = t.closest(".table-scroll") || t;
    return {
      box: b, frame: box(frame), clipped: frame.scrollWidth > frame.clientWidth + 1,
      rows: t.rows.length, laidOutCells: cells.length, visible: visible(t, frame),
      className: t.className, collapsed: !!t.closest("details:not([open])"), caption: (t.closest("figure") || t).textContent.trim().slice(0, 80),
    };
  });
  const plots = Array.from(document.querySelectorAll("figure.plot svg, svg")).filter(function (s, i, all) {
    return all.indexOf(s) === i && !s.parentElement.closest("svg");
  }).map(function (s) {
    const marks = Array.from(s.querySelectorAll("path, polyline, polygon, line, rect, circle")).filter(function (m) {
      try { const g = m.getBBox(); return g.width > 0 || g.height > 0; } catch (e) { return false; }
    });
    const texts = Array.from(s.querySelectorAll("text")).filter(function (t) {
      const r = t.getBoundingClientRect(); return r.width > 0 && r.height > 0;
    });
    return { box: box(s), marks: marks.length, texts: texts.length, visible: visible(s),
             title: (s.querySelector("title") || { textContent: "" }).textContent };
  });
  const result = {
    title: document.title,
    width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
    viewportWidth: window.innerWidth, tables: tables, plots: plots,
  };
  const pre = document.createElement("pre");
  pre.id = "synthlab-layout";
  pre.style.display = "none";
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
  window.scrollTo(0, 0);
  if (window.location.hash === "#synthlab-shot") {
    // Headless screenshots ignore scrolling, so the page is cut instead: everything between the title and
    // the block holding the first numbered table (else plot) and the prose just before it is hidden.
    const target = document.querySelector("figure.table") || document.querySelector("figure.plot");
    const main = document.querySelector("main") || document.body;
    let block = target;
    while (block && block.parentElement !== main) block = block.parentElement;
    if (block) {
      const keep = block.previousElementSibling && block.previousElementSibling.classList.contains("prose")
        ? block.previousElementSibling : block;
      for (let el = keep.previousElementSibling; el; el = el.previousElementSibling) {
        if (el.tagName !== "HEADER") el.style.display = "none";
      }
    }
  }
})();
