"""HTML ingest: the BBC articles as saved web pages (navigation, ads, comments, footer around
each story) against the same articles as plain text files, indexed in the same run.

    python -m benchmarks.html_bench [--runs 3] [--entities]

The pages are generated into benchmarks/out/bbc-html (git-ignored) from the BBC corpus; the
reference is the identical stories as .txt files, so the ratio is the cost of finding the
article in a web page (trafilatura). Also reports extraction alone per page and checks that
no page lost its story or kept its comments.
"""

from __future__ import annotations

import argparse
import html
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from index.corpus import Corpus
from index.ingest import ingest
from index.web import html_article

from .corpora import OUT, bbc_folder

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | {section} | BBC News</title>
<meta property="og:title" content="{title}"><meta property="og:site_name" content="BBC News">
<meta property="article:published_time" content="2005-0{month}-1{day}T09:00:00Z">
<script>window.analytics = {{page: "{section}"}};</script></head><body>
<div id="cookies">We use cookies. Accept all cookies or manage your settings.</div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li><li><a href="/iplayer">iPlayer</a></li></ul></nav></header>
<aside class="advert">ADVERTISEMENT: Holidays in the sun from 99 pounds</aside>
<main><article><h1>{title}</h1>{paragraphs}</article>
<section class="related"><h2>Related stories</h2><ul><li><a href="/1">Top ten stories this week</a></li></ul></section></main>
<section id="comments"><h2>Have your say</h2><div class="comment"><p>ReaderX: I disagree with every word of this.</p></div>
<div class="comment"><p>ReaderY: Thanks for the report.</p></div></section>
<footer><p>Copyright 2005 BBC. The BBC is not responsible for the content of external sites.</p></footer>
</body></html>
"""


def make_folders() -> tuple[Path, Path]:
    html_dir, text_dir = OUT / "bbc-html", OUT / "bbc-text"
    if (html_dir / ".complete").exists():
        return html_dir, text_dir
    for folder in (html_dir, text_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    for i, path in enumerate(sorted((bbc_folder() / "bbc").glob("*/*.txt"))):
        raw = path.read_bytes().decode("cp1252", errors="replace")
        title, _, body = raw.strip().partition("\n")
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        name = f"{path.parent.name}-{path.stem}"
        (text_dir / f"{name}.txt").write_text(f"{title.strip()}\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
        page = PAGE.format(title=html.escape(title.strip()), section=path.parent.name, month=1 + i % 9, day=i % 10,
                           paragraphs="".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))
        (html_dir / f"{name}.html").write_text(page, encoding="utf-8")
    (html_dir / ".complete").write_text("")
    return html_dir, text_dir


def timed_ingest(folder: Path, entities: bool) -> float:
    home = Path(tempfile.mkdtemp(prefix="dossier-html-"))
    try:
        start = time.perf_counter()
        report = ingest(Corpus.open(folder, home), entities=entities)
        seconds = time.perf_counter() - start
        assert not report.skipped, report.skipped[:3]
        return seconds
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entities", action="store_true", help="recognise entities too (slower; recognition dominates)")
    args = parser.parse_args()
    html_dir, text_dir = make_folders()
    pages = sorted(html_dir.glob("*.html"))
    print(f"{len(pages)} pages; entities {'on' if args.entities else 'off'}; medians of {args.runs} runs")

    sample = pages[:300]
    start = time.perf_counter()
    lost = kept_comments = 0
    for page in sample:
        article = html_article(page.read_text(encoding="utf-8"))
        lost += len(article.meta.body) < 200
        kept_comments += "ReaderX" in article.meta.body or "Holidays in the sun" in article.meta.body
    per_page = (time.perf_counter() - start) / len(sample) * 1000
    print(f"extraction alone: {per_page:.1f} ms per page ({len(sample)} pages); "
          f"stories lost {lost}, pages keeping comments or ads {kept_comments}")

    html_times, text_times = [], []
    for _ in range(args.runs):
        text_times.append(timed_ingest(text_dir, args.entities))
        html_times.append(timed_ingest(html_dir, args.entities))
    t, h = statistics.median(text_times), statistics.median(html_times)
    print(f"ingest as .txt (reference): {t:.2f} s   as .html: {h:.2f} s   ratio {h / t:.2f}x   "
          f"({len(pages) / h:,.0f} pages/s)")


if __name__ == "__main__":
    main()
