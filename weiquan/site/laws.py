"""Law index, law pages (split for large laws) with a stable anchor per article."""

from __future__ import annotations

from weiquan.content import versions as lawversions
from weiquan.content.model import Article, Law, Part
from weiquan.site.context import LawPart, Page, SiteContext, articles_of, part_slug
from weiquan.site.html import badge, esc, fmt_date, front_matter, json_script, md_text, paragraphs
from weiquan.content.urls import law_src

STATUS_KIND = {"有效": "ok", "已修改": "warn", "已废止": "bad", "尚未生效": "warn"}


def law_pages(site: SiteContext) -> list[Page]:
    pages = [law_index(site)]
    for law in site.content.laws:
        parts = site.law_pages[law.slug]
        if len(parts) == 1:
            pages.append(law_page(site, law, parts[0], law_src(law.slug), whole=True))
        else:
            pages.append(law_landing(site, law, parts))
            for lp in parts:
                pages.append(law_page(site, law, lp, law_src(law.slug, lp.slug), whole=False))
    return pages


def law_index(site: SiteContext) -> Page:
    src = "laws/index.md"
    rows = []
    current = [law for law in site.content.laws if site.content.current_of(law) is law]
    for law in sorted(current, key=lambda l: (l.kind != "法律", l.short_name)):
        others = [v for v in site.content.versions_of(law) if v is not law]
        older = ("<br><small>其他版本：" + "、".join(
            f'<a href="{site.law_href(src, v)}">{esc(version_label(v))}</a>' for v in others)
            + "</small>") if others else ""
        rows.append(
            f'<li><a href="{site.law_href(src, law)}"><strong>{esc(law.short_name)}</strong></a> '
            f'{badge(law.kind)} {badge(law.status, STATUS_KIND[law.status])}<br>'
            f'<small>{esc(law.title)}　{esc(version_line(law))}</small>{older}</li>')
    body = ("法律、行政法规和司法解释均为官方文本原文。点击条文序号可复制该条的链接。\n\n"
            f'<ul class="wq-list">\n{chr(10).join(rows)}\n</ul>\n')
    return Page(src, front_matter("法律法规", description="与妇女儿童权益有关的法律原文") + "# 法律法规\n\n" + body,
                "法律法规")


def version_line(law: Law) -> str:
    """通过 / 公布 / last 修正 or 修订 / 本版本施行 / 首次施行 (``effective`` is always this
    version's date in force; ``first_effective`` the law's first, when different)."""
    bits = [f"{fmt_date(law.adopted)}通过"]
    if law.published and law.published != law.adopted:
        bits.append(f"{fmt_date(law.published)}公布")
    if law.amended:
        bits.append(f"{fmt_date(law.amended[-1])}修正/修订")
    if law.effective:
        label = "本版本施行" if law.first_effective and law.first_effective != law.effective else "施行"
        bits.append(f"{fmt_date(law.effective)}{label}")
    if law.first_effective and law.first_effective != law.effective:
        bits.append(f"{fmt_date(law.first_effective)}首次施行")
    return "，".join(bits)


def version_label(law: Law) -> str:
    """'2012年10月26日版' — a version by its date."""
    return f"{fmt_date(law.version or law.adopted)}版"


def versions_html(site: SiteContext, law: Law, src: str) -> str:
    """The law's versions, oldest first; this page's version in bold."""
    versions = site.content.versions_of(law)
    if len(versions) < 2:
        return ""
    current = site.content.current_of(law)
    items = []
    for v in versions:
        label = esc(version_label(v)) + ("（现行）" if v is current else f"（{esc(v.status)}）")
        items.append(f"<strong>{label}</strong>" if v is law
                     else f'<a href="{site.law_href(src, v)}">{label}</a>')
    return f'<p class="wq-versions">各版本：{" · ".join(items)}</p>'


def law_header(site: SiteContext, law: Law, src: str) -> str:
    out = [f'<div class="wq-law-meta">{badge(law.kind)} {badge(law.status, STATUS_KIND[law.status])} '
           f'<span>{esc(version_line(law))}</span> <span>制定机关：{esc(law.issuer)}</span>']
    if law.source_url:
        out.append(f' <a href="{esc(law.source_url)}" rel="noopener">官方来源</a>')
    out.append("</div>")
    if law.status in ("已修改", "已废止"):
        current = site.content.find_law(law.replaced_by) if law.replaced_by else None
        link = ""
        if current:
            since = f"自{esc(fmt_date(current.effective))}起" if current.effective else ""
            link = (f"，{since}由<a href=\"{site.law_href(src, current)}\">《{esc(current.short_name)}》"
                    f"{esc(version_label(current))}</a>取代")
        out.append(f'<div class="admonition warning"><p class="admonition-title">本文本{law.status}</p>'
                   f"<p>此为历史文本（{esc(version_label(law))}）{link}。</p></div>")
    elif law.status == "尚未生效":
        out.append(f'<div class="admonition note"><p class="admonition-title">尚未生效</p>'
                   f"<p>本法自{esc(fmt_date(law.effective))}起施行。</p></div>")
    out.append(versions_html(site, law, src))
    if law.history:
        out.append('<details class="wq-history"><summary>制定和修改经过</summary>'
                   + "".join(f"<p>{esc(h)}</p>" for h in law.history) + "</details>")
    return "\n".join(out)


def article_html(site: SiteContext, law: Law, article: Article, src: str) -> str:
    a = article.anchor
    out = [f'<section class="wq-article" id="{a}">',
           f'<h3 class="wq-article__num"><a href="#{a}" class="wq-permalink">{esc(article.number)}</a></h3>',
           paragraphs(article.paragraphs)]
    mark = version_mark(site, law, article, src)
    if mark:
        out.append(mark)
    if article.note:
        out.append(f'<div class="wq-note"><strong>通俗解读：</strong>{esc(article.note)}</div>')
    cited = site.cited_by.get((law.slug, article.key))
    if cited:
        links = "、".join(f'<a href="{site.urls.href(src, c.src)}">{esc(c.kind)}：{esc(c.title)}</a>'
                         + (f" {badge(c.provenance)}" if c.provenance else "") for c in cited)
        out.append(f'<p class="wq-citedby">引用本条：{links}</p>')
    out.append("</section>")
    return "\n".join(out)


def _year_label(law: Law) -> str:
    return f"{(law.version or law.adopted).year}年版"


def version_mark(site: SiteContext, law: Law, article: Article, src: str) -> str:
    """Where the article was in the previous version (新增 / 修改 + old wording / 未改), and on an
    older version, where it is in the next one.  Empty for a law with one version."""
    versions = site.content.versions_of(law)
    if len(versions) < 2:
        return ""
    out = []
    prev = lawversions.previous_version(versions, law)
    if prev is not None:
        m = lawversions.compare(prev, law).by_new[article.key]
        was = _year_label(prev)
        if m.status == lawversions.NEW:
            out.append(f'<p class="wq-ver wq-ver--new">新增（{was}没有此条）</p>')
        elif m.status == lawversions.UNCHANGED:
            out.append(f'<p class="wq-ver">{was}{esc(m.old.number)}，未改</p>')
        else:
            old_href = site.article_href(src, prev, m.old)
            out.append(f'<details class="wq-ver wq-ver--changed"><summary>{was}{esc(m.old.number)}，有修改'
                       f'（看原文）</summary>{paragraphs(m.old.paragraphs)}'
                       f'<p><a href="{old_href}">{was}{esc(m.old.number)}</a></p></details>')
    nxt = lawversions.next_version(versions, law)
    if nxt is not None:
        new_article, status = lawversions.compare(law, nxt).by_old[article.key]
        now = _year_label(nxt)
        if new_article is None:
            out.append(f'<p class="wq-ver">{now}已删除此条</p>')
        else:
            changed = "，未改" if status == lawversions.UNCHANGED else "，有修改"
            out.append(f'<p class="wq-ver">{now}：<a href="{site.article_href(src, nxt, new_article)}">'
                       f'{esc(new_article.number)}</a>{changed}</p>')
    return "\n".join(out)


def old_version_note(site: SiteContext, law: Law, src: str) -> str:
    """One line on every page of a superseded version (split pages have no header)."""
    current = site.content.find_law(law.replaced_by) if law.replaced_by else None
    if law.status not in ("已修改", "已废止"):
        return ""
    link = (f'，现行文本：<a href="{site.law_href(src, current)}">{esc(version_label(current))}</a>'
            if current else "")
    return f'<p class="wq-oldver">此为历史文本（{esc(version_label(law))}，{esc(law.status)}）{link}</p>\n'


def parts_html(site: SiteContext, law: Law, parts: list[Part], src: str, depth: int = 0,
               prefix: str = "") -> list[str]:
    """Part headings (in the page TOC, with stable ids) and their articles."""
    out = []
    for i, part in enumerate(parts):
        pid = (prefix + "-" if prefix else "") + part_slug(part, i)
        out.append(f"\n{'#' * min(2 + depth, 5)} {md_text(part.heading)} {{#{pid}}}\n")
        if part.articles:
            out.append("\n" + "\n".join(article_html(site, law, a, src) for a in part.articles) + "\n")
        out.extend(parts_html(site, law, part.parts, src, depth + 1, pid))
    return out


def law_page(site: SiteContext, law: Law, lp: LawPart, src: str, whole: bool) -> Page:
    title = law.short_name if whole else f"{law.short_name} · {lp.title}"
    md = [front_matter(title, description=law.title), f"# {md_text(law.title if whole else law.short_name)}\n"]
    if whole:
        md.append(law_header(site, law, src) + "\n")
        if law.preface:
            md.append('\n<div class="wq-preface">\n' + paragraphs(law.preface) + "\n</div>\n")
    else:
        md.append(f'<p class="wq-crumb"><a href="{site.law_href(src, law)}">《{esc(law.short_name)}》目录</a>'
                  f'　<span>{esc(version_line(law))}</span></p>\n')
        md.append(old_version_note(site, law, src))
        md.append(pager(site, law, lp, src))
    if lp.articles:
        md.append("\n" + "\n".join(article_html(site, law, a, src) for a in lp.articles) + "\n")
    md.extend(parts_html(site, law, lp.parts, src, prefix=lp.slug.rsplit("-", 1)[0] if "-" in lp.slug else ""))
    if law.appendices and (whole or lp is site.law_pages[law.slug][-1]):
        md.append(appendices_html(law))
    if not whole:
        md.append(pager(site, law, lp, src, "页末"))
    return Page(src, "\n".join(md), title)


def appendices_html(law: Law) -> str:
    """附件/附表/附录 after the articles, verbatim; not articles (no article anchors)."""
    out = []
    for i, appendix in enumerate(law.appendices, 1):
        out.append(f'<section class="wq-appendix" id="appendix-{i}">'
                   f'<h2>{esc(appendix.heading)}</h2>\n{paragraphs(appendix.paragraphs)}</section>')
    return "\n" + "\n".join(out) + "\n"


def pager(site: SiteContext, law: Law, lp: LawPart, src: str, where: str = "页首") -> str:
    pages = site.law_pages[law.slug]
    i = pages.index(lp)
    links = []
    if i > 0:
        prev = pages[i - 1]
        links.append(f'<a rel="prev" href="{site.urls.href(src, law_src(law.slug, prev.slug))}">← {esc(prev.title)}</a>')
    if i + 1 < len(pages):
        nxt = pages[i + 1]
        links.append(f'<a rel="next" href="{site.urls.href(src, law_src(law.slug, nxt.slug))}">{esc(nxt.title)} →</a>')
    return f'\n<nav class="wq-pager" aria-label="分页（{where}）">{" ".join(links)}</nav>\n'


def law_landing(site: SiteContext, law: Law, pages: list[LawPart]) -> Page:
    """Table of contents of a split law; forwards #a123 permalinks to the page holding the article."""
    src = law_src(law.slug)
    md = [front_matter(law.short_name, description=law.title), f"# {md_text(law.title)}\n",
          law_header(site, law, src) + "\n"]
    if law.preface:
        md.append('\n<div class="wq-preface">\n' + paragraphs(law.preface) + "\n</div>\n")
    md.append("\n## 目录 {#toc}\n")
    items = []
    for lp in pages:
        arts = list(articles_of(lp))
        span = f"{arts[0].number}—{arts[-1].number}" if arts else ""
        items.append(f'<li><a href="{site.urls.href(src, law_src(law.slug, lp.slug))}">{esc(lp.title)}</a> '
                     f'<small>{esc(span)}</small></li>')
    last = law_src(law.slug, pages[-1].slug)
    for i, appendix in enumerate(law.appendices, 1):   # shown after the articles, on the last page
        items.append(f'<li><a href="{site.urls.href(src, last, f"appendix-{i}")}">{esc(appendix.heading)}</a></li>')
    md.append('<ol class="wq-toc">\n' + "\n".join(items) + "\n</ol>\n")
    # Article ranges per page, keyed n*100+sub, so #a1043 can be forwarded to its page.
    ranges = []
    for lp in pages:
        keys = [a.key[0] * 100 + a.key[1] for a in articles_of(lp)]
        if keys:
            ranges.append([site.urls.href(src, law_src(law.slug, lp.slug)), min(keys), max(keys)])
    md.append(f'<script type="application/json" id="wq-article-map">{json_script(ranges)}</script>\n')
    return Page(src, "\n".join(md), law.short_name)
