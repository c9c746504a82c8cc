"""Guided application pages (content/forms/): a few plain questions per screen, then a printable
application and a checklist, generated in the page by overrides/assets/javascripts/wq-form.js.

Everything the page says comes from the form's YAML (questions, measures, evidence, rules) with
its citations linked to the articles (templates/form.md). The page works without JavaScript too:
all questions are shown at once and the application below them is a blank to fill in by hand.
Nothing typed is sent or stored: there is no form element (nothing can be submitted), no storage,
no cookies."""

from __future__ import annotations

from markupsafe import Markup

from weiquan.content.model import Citation, Form
from weiquan.content.urls import form_src
from weiquan.site.context import Page, SiteContext
from weiquan.site.html import front_matter, json_script
from weiquan.site.render import render


def form_page(site: SiteContext, form: Form) -> Page:
    src = form_src(form.slug)

    def link(citation: Citation) -> dict:
        law, art = site.content.resolve(citation)
        return {"href": site.article_href(src, law, art), "label": site.cite_label(law, art)}

    def of(part: str) -> list:
        return [f for s in form.steps if s.part == part for f in s.fields]
    body = render("form.md", form=form, link=link,
                  fields={f.id: f for step in form.steps for f in step.fields},
                  parties={p: [f.id for f in of(p)] for p in ("申请人", "被申请人")}, facts=of("事实和理由"),
                  stations_href=site.urls.href(src, "stations/index.md"),
                  data=Markup(json_script({"idle": form.idle_minutes, "steps": len(form.steps)})))
    return Page(src, front_matter(form.title, description=form.summary or form.title, wq_script="wq-form") + body,
                form.title)


def form_index(site: SiteContext) -> Page:
    src = "forms/index.md"
    forms = [(site.urls.href(src, form_src(f.slug)), f) for f in sorted(site.content.forms, key=lambda f: f.title)]
    return Page(src, front_matter("帮你准备材料", description="回答几个问题，生成可以打印的申请书")
                + render("form_index.md", forms=forms), "帮你准备材料")
