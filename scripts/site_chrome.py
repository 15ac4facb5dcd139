"""The course site's navigation: a sidebar with the course's parts and lessons, an in-page table of contents,
full-text search that works from ``file://``, and the link to each page's notebook.

- **Sidebar.** Every page carries the whole course (parts, lessons, the current one marked) and, under the
  current lesson, its sections (the page's h2 and h3 headings). At 1,400 px and wider it stays open beside
  the text; narrower (a 1024-px projector), it is a "Contents" button that opens it over the page, so the
  text and its figures keep their full width.
- **Search.** ``search.js`` holds the site's text, one entry per section, as a script that calls nothing
  but sets ``window.COURSE_SEARCH``. A page loads it with a ``<script src>`` element, which a browser allows
  on ``file://`` pages; an index read with ``fetch()`` or XMLHttpRequest would be blocked there. Searching
  is plain JavaScript on the page: every word typed must occur in a section (case-insensitive); sections
  are ranked by how often the words occur, titles counting more.
- **Notebook link.** Each page links to its notebook: on the instructor's site the notebook with its
  solutions, on the learner's site the learner copy (solutions removed), both next to the pages, and says
  how to open it in JupyterLab.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from course_map import part

HEADING = re.compile(r'<h([1-3])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
DROPPED = re.compile(r"<(script|style|svg)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
SECTION_CHARS = 4000  # text kept per section in the search index (the index stays small)


@dataclass(frozen=True)
class Section:
    level: int
    anchor: str
    title: str


def plain(fragment: str) -> str:
    """Text of an HTML fragment: scripts, styles and drawings dropped, tags removed, entities decoded."""
    text = TAG.sub(" ", DROPPED.sub(" ", fragment))
    return re.sub(r"\s+", " ", html.unescape(text).replace("¶", " ")).strip()


def sections(body: str) -> list[Section]:
    """The h1-h3 headings of a rendered page that carry an id (nbconvert gives every markdown heading one)."""
    return [Section(int(level), anchor, plain(inner)) for level, anchor, inner in HEADING.findall(body)]


def search_entries(body: str, page_name: str, page_title: str) -> list[dict]:
    """One search entry per section of a rendered page: the text from its heading to the next."""
    found = list(HEADING.finditer(body))
    out = []
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(body)
        text = plain(body[match.end():end])[:SECTION_CHARS]
        out.append({"page": page_name, "lesson": page_title, "anchor": match.group(2),
                    "title": plain(match.group(3)), "text": text})
    return out


def search_script(entries: list[dict]) -> str:
    return "window.COURSE_SEARCH = " + json.dumps(entries, ensure_ascii=False, separators=(",", ":")) + ";\n"


def sidebar(course, current, page_sections: list[Section], prefix: str = "") -> str:
    """The sidebar's HTML: search box, parts and lessons, and the current lesson's sections."""
    items, shown = [], None
    for page in course:
        name = part(page.number)
        if name != shown:
            if shown is not None:
                items.append("</ul>")
            items.append(f'<p class="cs-part">{html.escape(name)}</p><ul>')
            shown = name
        here = current is not None and page.html_name == current.html_name
        mark = ' class="cs-current" aria-current="page"' if here else ""
        items.append(f'<li><a{mark} href="{prefix}{page.html_name}">{page.number} · '
                     f'{html.escape(page.title)}</a>')
        if here:
            toc = [s for s in page_sections if s.level in (2, 3)]
            if toc:
                links = "".join(f'<li class="cs-h{s.level}"><a href="#{html.escape(s.anchor)}">'
                                f'{html.escape(s.title)}</a></li>' for s in toc)
                items.append(f'<ul class="cs-toc">{links}</ul>')
        items.append("</li>")
    items.append("</ul>")
    return (f'<aside id="course-sidebar" class="course-sidebar" aria-label="Course contents">'
            f'<a class="cs-home" href="{prefix}index.html">Explaining ML models</a>'
            f'<input id="course-search" type="search" placeholder="Search the course" '
            f'aria-label="Search the course" autocomplete="off">'
            f'<ol id="course-search-results" class="cs-results"></ol>'
            f'<nav class="cs-lessons">{"".join(items)}</nav></aside>')


SIDEBAR_CSS = """
.course-sidebar{position:fixed;top:0;left:0;bottom:0;width:290px;overflow-y:auto;background:#f7f7f7;
 border-right:1px solid #ddd;padding:12px 14px;font:14px/1.4 sans-serif;z-index:1000;box-sizing:border-box;
 transform:translateX(-100%);transition:transform .15s}
.course-sidebar.cs-open{transform:none;box-shadow:0 0 24px rgba(0,0,0,.25)}
.course-sidebar ul{list-style:none;margin:0;padding:0}
.course-sidebar li{margin:3px 0}
.course-sidebar a{color:#124;text-decoration:none}
.course-sidebar a:hover{text-decoration:underline}
.cs-home{display:block;font-weight:bold;font-size:16px;margin-bottom:8px}
.cs-part{font-weight:bold;margin:12px 0 4px;color:#555;text-transform:uppercase;font-size:12.5px}
.cs-current{font-weight:bold}
.cs-toc{margin:4px 0 6px 10px!important;border-left:2px solid #ccd;padding-left:8px!important}
.cs-toc .cs-h3{margin-left:10px}
#course-search{width:100%;box-sizing:border-box;font-size:14px;padding:5px 6px}
.cs-results{margin:6px 0;padding-left:18px}
.cs-results li{margin:6px 0}
.cs-results small{display:block;color:#555}
#course-toggle{position:fixed;top:8px;left:8px;z-index:1001;font:14px sans-serif;padding:5px 10px;
 background:#fff;border:1px solid #aaa;border-radius:4px;cursor:pointer}
body.cs-has-sidebar{padding-top:34px}
.course-sidebar{padding-top:46px}
.course-download a{color:#0645ad;text-decoration:underline}
@media (min-width:1400px){
 .course-sidebar{transform:none;padding-top:12px}
 body.cs-has-sidebar{padding-left:300px;padding-top:0}
 #course-toggle{display:none}
}
.jp-RenderedHTMLCommon table{display:block;max-width:100%;overflow-x:auto}
.jp-RenderedHTMLCommon th,.jp-RenderedHTMLCommon td{white-space:normal}
.jp-OutputArea-output pre{white-space:pre-wrap;word-break:normal;overflow-wrap:normal;overflow-x:auto}
.course-download{font:15px/1.5 sans-serif;margin:10px 20px;padding:8px 12px;background:#f3f6fa;
 border:1px solid #d5dde8;border-radius:4px}
"""

SIDEBAR_JS = r"""
(function () {
  var bar = document.getElementById("course-sidebar");
  var toggle = document.getElementById("course-toggle");
  document.body.classList.add("cs-has-sidebar");
  toggle.addEventListener("click", function () {
    var open = bar.classList.toggle("cs-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  bar.addEventListener("click", function (e) {
    if (e.target.tagName === "A" && window.innerWidth < 1400) { bar.classList.remove("cs-open"); }
  });
  var box = document.getElementById("course-search");
  var list = document.getElementById("course-search-results");
  function escape(s) {
    return s.replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c];
    });
  }
  function count(text, word) {
    var n = 0, i = text.indexOf(word);
    while (i >= 0) { n += 1; i = text.indexOf(word, i + word.length); }
    return n;
  }
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 1; });
    list.innerHTML = "";
    if (!words.length || !window.COURSE_SEARCH) { return; }
    var hits = [];
    window.COURSE_SEARCH.forEach(function (s) {
      var title = s.title.toLowerCase(), text = s.text.toLowerCase(), score = 0;
      for (var k = 0; k < words.length; k++) {
        var n = 3 * count(title, words[k]) + count(text, words[k]);
        if (!n) { return; }
        score += n;
      }
      hits.push([score, s]);
    });
    hits.sort(function (a, b) { return b[0] - a[0]; });
    if (!hits.length) { list.innerHTML = "<li>No section contains every word.</li>"; return; }
    hits.slice(0, 15).forEach(function (h) {
      var s = h[1], at = s.text.toLowerCase().indexOf(words[0]);
      var snippet = s.text.slice(Math.max(0, at - 40), at + 80);
      var li = document.createElement("li"), link = document.createElement("a");
      link.setAttribute("href", s.page + "#" + encodeURIComponent(s.anchor));
      link.textContent = s.title;
      li.appendChild(link);
      li.insertAdjacentHTML("beforeend",
        "<small>" + escape(s.lesson) + " · …" + escape(snippet) + "…</small>");
      list.appendChild(li);
    });
  });
})();
"""


def chrome(course, current, body: str, search_src: str, prefix: str = "") -> str:
    """What goes right after ``<body>``: the toggle button, the sidebar, the search index and the script."""
    return (f'<button id="course-toggle" aria-controls="course-sidebar" aria-expanded="false">'
            f'&#9776; Contents</button>'
            f'{sidebar(course, current, sections(body), prefix)}'
            f'<script src="{search_src}"></script><script>{SIDEBAR_JS}</script>')


def download_note(notebook_name: str, learner: bool) -> str:
    """The line under the navigation bar: this page's notebook, and how to open it in JupyterLab."""
    which = ("the learner's copy, exercises unanswered" if learner else "with the exercises' solutions")
    command = "make lab-learner" if learner else "make lab"
    return (f'<div class="course-download">Run this lesson yourself: <a href="{notebook_name}" '
            f'download>{html.escape(notebook_name)}</a> ({which}). In the course folder, '
            f'<code>{command}</code> opens it in JupyterLab; elsewhere, open the file in JupyterLab '
            f'and choose the kernel "Python (explaining-ml)" (<code>make kernel-user</code> installs it), '
            f'then <i>Run &rarr; Run All Cells</i>.</div>')
