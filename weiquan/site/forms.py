"""Guided application pages (content/forms/): a few plain questions per screen, then a printable
application and a checklist, generated in the page by overrides/assets/javascripts/wq-form.js.

Everything the page says comes from the form's YAML (questions, measures, evidence, rules) with
its citations linked to the articles. The page works without JavaScript too: all questions are
shown at once and the application below them is a blank to fill in by hand. Nothing typed is
sent or stored: there is no <form> element (nothing can be submitted), no storage, no cookies."""

from __future__ import annotations

from weiquan.content.model import Citation, CitedText, Form, FormChoice, FormField
from weiquan.content.urls import form_src
from weiquan.site.context import Page, SiteContext
from weiquan.site.html import esc, front_matter, json_script, md_text

BLANK = "＿＿＿＿＿＿"


def _cite(site: SiteContext, src: str, citation: Citation | None) -> str:
    if citation is None:
        return ""
    law, art = site.content.resolve(citation)
    return (f' <a class="wq-form-cite" href="{esc(site.article_href(src, law, art))}">'
            f'{esc(site.cite_label(law, art))}</a>')


def _cited(site: SiteContext, src: str, item: CitedText) -> str:
    return f"<li>{esc(item.text)}{_cite(site, src, item.cite)}</li>"


def _field(form: Form, f: FormField) -> str:
    name = f"wq-f-{f.id}"
    label = f'<label for="{name}">{esc(f.label)}</label>'
    common = f'id="{name}" data-field="{esc(f.id)}" autocomplete="off" autocapitalize="off" spellcheck="false"'
    if f.kind == "textarea":
        control = f"<textarea {common} rows=\"4\"></textarea>"
    elif f.kind == "choice":
        options = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in f.options)
        control = f'<select {common}><option value="">（请选择）</option>{options}</select>'
    else:
        control = f'<input type="text" {common}>'
    return f'<p class="wq-form-q">{label}{control}</p>'


def _choices(site: SiteContext, src: str, kind: str, items: list[FormChoice]) -> str:
    out = []
    for c in items:
        name = f"wq-{kind}-{c.id}"
        out.append(f'<li><input type="checkbox" id="{name}" data-{kind}="{esc(c.id)}" autocomplete="off">'
                   f'<label for="{name}">{esc(c.label)}</label>{_cite(site, src, c.cite)}</li>')
    return f'<ul class="wq-form-choices">{"".join(out)}</ul>'


def _document(site: SiteContext, src: str, form: Form) -> str:
    """The application with blanks: the no-JavaScript fallback and the template the script fills."""
    fields = {f.id: f for step in form.steps for f in step.fields}

    def slot(fid: str) -> str:
        f = fields.get(fid)
        return f'<span class="wq-slot" data-slot="{esc(fid)}">{BLANK}</span>' if f else BLANK

    def line(party: str, fids: list[str]) -> str:
        """申请人：<name>，联系电话：…  (the first field of a party's step is its name)."""
        if not fids:
            return f"<strong>{party}</strong>：{BLANK}"
        rest = "".join(f"，{esc(fields[i].document)}：{slot(i)}" for i in fids[1:])
        return f"<strong>{party}</strong>：{slot(fids[0])}{rest}"

    def of(part: str) -> list[FormField]:
        return [f for s in form.steps if s.part == part for f in s.fields]

    applicant = line("申请人", [f.id for f in of("申请人")])
    respondent = line("被申请人", [f.id for f in of("被申请人")])
    facts = of("事实和理由")
    requests = "".join(f'<li data-measure-item="{esc(m.id)}">{esc(m.request or m.label)}</li>' for m in form.measures)
    evidence = "".join(f'<li data-evidence-item="{esc(e.id)}">{esc(e.item or e.label)}</li>' for e in form.evidence)
    fact_lines = "".join(f'<p>{esc(f.document)}：{slot(f.id)}</p>' for f in facts)
    closing = f'<p>{esc(form.closing.text)}</p>' if form.closing else ""
    return (
        f'<section id="wq-doc" class="wq-doc" aria-label="{esc(form.document_title)}">\n'
        f'<h2 class="wq-doc-title">{esc(form.document_title)}</h2>\n'
        f'<p>{applicant}</p>\n'
        f'<p>{respondent}</p>\n'
        f'<h3>请求事项</h3>\n<ol class="wq-doc-requests">{requests}</ol>\n'
        f'<h3>事实和理由</h3>\n{fact_lines}{closing}\n'
        f'<h3>证据清单</h3>\n<ol class="wq-doc-evidence">{evidence}</ol>\n'
        f'<p class="wq-doc-to">此致</p>\n<p>{BLANK}{BLANK}人民法院</p>\n'
        f'<p class="wq-doc-rule">（{esc(form.court.rule)}{_cite(site, src, form.court.cite)}）</p>\n'
        f'<p class="wq-doc-sign">申请人（签名）：{BLANK}</p>\n<p class="wq-doc-sign">{BLANK}年{BLANK}月{BLANK}日</p>\n'
        f'<h3 class="wq-doc-bring-h">要带的材料</h3>\n<ul class="wq-doc-bring">'
        + "".join(f"<li>{esc(b)}</li>" for b in form.bring)
        + "".join(f'<li data-evidence-item="{esc(e.id)}">{esc(e.label)}</li>' for e in form.evidence)
        + "</ul>\n</section>")


def form_page(site: SiteContext, form: Form) -> Page:
    src = form_src(form.slug)
    steps = []
    for i, step in enumerate(form.steps):
        body = [f'<h2 id="step-{esc(step.id)}">{i + 1}. {esc(step.title)}</h2>']
        if step.intro:
            body.append(f'<p>{esc(step.intro)}{_cite(site, src, step.cite)}</p>')
        body += [_field(form, f) for f in step.fields]
        if step.measures:
            body.append(_choices(site, src, "measure", form.measures))
        if step.evidence:
            body.append(_choices(site, src, "evidence", form.evidence))
        if step.notes:
            body.append('<ul class="wq-form-notes">' + "".join(_cited(site, src, n) for n in step.notes) + "</ul>")
        steps.append(f'<fieldset class="wq-step" data-step="{i}">' + "\n".join(body) + "</fieldset>")
    data = {"idle": form.idle_minutes, "steps": len(form.steps)}
    html = [
        f"# {md_text(form.title)}\n",
        f'<p class="wq-form-privacy" role="note"><strong>{esc(form.privacy)}</strong></p>',
        f'<p class="wq-form-notice">{esc(form.notice)}</p>',
        '<div id="wq-form" class="wq-form">',
        '<p class="wq-form-progress" aria-live="polite" hidden></p>',
        "\n".join(steps),
        '<p class="wq-form-nav">'
        '<button type="button" class="md-button" data-go="back" hidden>上一步</button> '
        '<button type="button" class="md-button md-button--primary" data-go="next" hidden>下一步</button> '
        '<button type="button" class="md-button md-button--primary" data-go="done" hidden>生成申请书</button> '
        '<button type="button" class="md-button" data-go="clear">全部清空</button></p>',
        '<p class="wq-form-cleared" role="status" hidden>已清空，你填写的内容已经删除。</p>',
        "</div>",
        '<div class="wq-form-result">',
        '<p class="wq-form-print"><button type="button" class="md-button md-button--primary" data-go="print" hidden>'
        "打印申请书</button></p>",
        _document(site, src, form),
        "</div>",
        "\n## 要知道的几件事 {#facts}\n",
        '<ul class="wq-form-facts">' + "".join(_cited(site, src, f) for f in form.facts) + "</ul>",
        "\n## 谁可以帮你填 {#help}\n",
        '<ul class="wq-form-help">' + "".join(_cited(site, src, h) for h in form.help)
        + f'<li><a href="{esc(site.urls.href(src, "stations/index.md"))}">找附近的维权服务站</a></li></ul>',
        f'<script type="application/json" id="wq-form-data">{json_script(data)}</script>',
    ]
    md = front_matter(form.title, description=form.summary or form.title, wq_script="wq-form") + "\n".join(html) + "\n"
    return Page(src, md, form.title)


def form_index(site: SiteContext) -> Page:
    src = "forms/index.md"
    items = "\n".join(
        f'<li><a href="{esc(site.urls.href(src, form_src(f.slug)))}">{esc(f.title)}</a>'
        + (f"<br><small>{esc(f.summary)}</small>" if f.summary else "") + "</li>"
        for f in sorted(site.content.forms, key=lambda f: f.title))
    md = (front_matter("帮你准备材料", description="回答几个问题，生成可以打印的申请书")
          + "# 帮你准备材料\n\n" + "你填的内容只留在页面里，不会发送，也不会保存。\n\n"
          + f'<ul class="wq-list">\n{items}\n</ul>\n')
    return Page(src, md, "帮你准备材料")
